"""The training loop of src/model/trainer.ts in PyTorch: Adam (beta2 0.98, eps 1e-7) on the
batch loss, length-bucketed seeded batches, shared sampled negatives, early stopping on a
validation score (the best epoch's weights are restored), optional plateau learning-rate
cuts. Data parallel through DistributedDataParallel: every process plans the same global
batches and negatives from the seed, encodes its slice of each batch's sequences, and ranks
its queries against the candidates of the WHOLE global batch; each process's loss is scaled
so that DDP's gradient average equals the gradient of the global batch's loss."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from .batching import Batch, build_batch, candidates_for, plan_batches, sample_negatives
from .dataset import Catalog
from .loss import cross_entropy_sum, weight_decay_term
from .model import HafTorch
from .rng import Rng


@dataclass
class TrainOptions:
    epochs: int = 10
    batch_positions: int = 2048
    negatives: int | str = 4096
    learning_rate: float = 1e-3
    weight_decay: float = 0.0
    seed: int = 42
    patience: int = 2
    lr_schedule: str = 'constant'
    lr_decay: float = 0.5
    max_batches_per_epoch: int | None = None


@dataclass
class TrainResult:
    epochs: int = 0
    best_epoch: int = 0
    best_valid: float | None = None
    history: list = field(default_factory=list)


class LossModule(nn.Module):
    """What DDP wraps: one forward = one process's scaled share of the global batch loss."""

    def __init__(self, model: HafTorch):
        super().__init__()
        self.model = model

    def forward(self, batch: Batch, groups: list, scale: float, wd_batch: Batch | None, weight_decay: float) -> torch.Tensor:
        loss = cross_entropy_sum(self.model, batch, groups) * scale
        if weight_decay > 0 and wd_batch is not None:
            loss = loss + weight_decay_term(self.model, wd_batch, weight_decay)
        return loss


def world() -> tuple[int, int]:
    return (dist.get_rank(), dist.get_world_size()) if dist.is_available() and dist.is_initialized() else (0, 1)


def make_optimizer(model: HafTorch, lr: float) -> torch.optim.Optimizer:
    return torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.98), eps=1e-7)


def step_inputs(catalog: Catalog, config: dict, sequences: list[np.ndarray], negatives: list[np.ndarray],
                rank: int, size: int) -> tuple[Batch, list, int, Batch]:
    """This process's batch (every size-th sequence from rank), its candidate groups over the
    global batch, the global query count, and the global batch (for the weight-decay rows)."""
    opts = dict(domain_of=catalog.domain_of, domains=len(catalog.domains), max_length=config['maxLength'],
                require_own_view=config['singleDomain'], extra_items=np.concatenate(negatives))
    whole = build_batch(sequences, **opts)
    local = whole if size == 1 else build_batch(sequences[rank::size], **opts)
    pool = (whole.query_target, whole.query_domain)
    groups = candidates_for(local.query_target, local.query_domain, len(catalog.domains), negatives, pool)
    return local, groups, len(whole.query_domain), whole


def train_step(module: nn.Module, optimizer: torch.optim.Optimizer, catalog: Catalog, config: dict,
               sequences: list[np.ndarray], negatives: list[np.ndarray], weight_decay: float) -> tuple[float, int]:
    """One optimizer step on a global batch; returns (global loss, global queries)."""
    rank, size = world()
    local, groups, total, whole = step_inputs(catalog, config, sequences, negatives, rank, size)
    if total == 0:
        return 0.0, 0
    loss = module(local, groups, size / total, whole, weight_decay)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    reported = loss.detach() / size
    if size > 1:
        dist.all_reduce(reported)
    return float(reported), total


def _snapshot(model: HafTorch) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in model.named_parameters()}


def _restore(model: HafTorch, weights: dict[str, torch.Tensor]) -> None:
    with torch.no_grad():
        for n, p in model.named_parameters():
            p.copy_(weights[n])


def run_epoch(module: nn.Module, optimizer, model: HafTorch, catalog: Catalog, train: list[np.ndarray],
              options: TrainOptions, rng: Rng, log: Callable[[str], None]) -> dict:
    plan = plan_batches(train, model.config['maxLength'], options.batch_positions, rng)
    count = len(plan) if options.max_batches_per_epoch is None else min(len(plan), options.max_batches_per_epoch)
    started, loss_sum, positions, last_log = time.perf_counter(), 0.0, 0, time.perf_counter()
    for b in range(count):
        negatives = sample_negatives(catalog.domain_items, options.negatives, rng)
        loss, n = train_step(module, optimizer, catalog, model.config, plan[b], negatives, options.weight_decay)
        loss_sum += loss * n
        positions += n
        if time.perf_counter() - last_log > 30:
            last_log = time.perf_counter()
            log(f'  batch {b + 1}/{count} loss {loss:.4f} {positions / (last_log - started):.0f} pos/s')
    seconds = time.perf_counter() - started
    return {'loss': loss_sum / max(1, positions), 'seconds': seconds, 'positions': positions}


def train(model: HafTorch, module: nn.Module, catalog: Catalog, train_sequences: list[np.ndarray], options: TrainOptions,
          validate: Callable[[], float] | None = None, log: Callable[[str], None] = print,
          on_epoch: Callable[[int], None] | None = None) -> TrainResult:
    """Epochs until `patience` epochs without a better validation score; restores the best."""
    rng = Rng(options.seed)
    lr = options.learning_rate
    optimizer = make_optimizer(model, lr)
    result = TrainResult()
    best: tuple[int, float, dict] | None = None
    for epoch in range(1, options.epochs + 1):
        stats = run_epoch(module, optimizer, model, catalog, train_sequences, options, rng, log)
        if on_epoch:
            on_epoch(epoch)
        valid = validate() if validate else None
        improved = valid is not None and (best is None or valid > best[1])
        if improved:
            best = (epoch, valid, _snapshot(model))
        result.history.append({'epoch': epoch, **stats, 'learningRate': lr, **({'valid': valid} if valid is not None else {})})
        log(f'epoch {epoch}: lr {lr} loss {stats["loss"]:.4f} {stats["seconds"]:.0f} s {stats["positions"] / stats["seconds"]:.0f} pos/s'
            + (f' valid NDCG@10 {valid:.4f}{" (best)" if improved else ""}' if valid is not None else ''))
        if best and epoch - best[0] >= options.patience:
            break
        if best and not improved and options.lr_schedule == 'plateau':
            _restore(model, best[2])
            lr *= options.lr_decay
            optimizer = make_optimizer(model, lr)
    if best:
        _restore(model, best[2])
    result.epochs = len(result.history)
    result.best_epoch = best[0] if best else result.epochs
    result.best_valid = best[1] if best else None
    return result
