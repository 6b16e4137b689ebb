"""The evaluation protocol of src/eval (metrics.ts, evaluate.ts): the target ranked against
its 999 materialized negatives (sampled) or every other item of its domain (full), ties
counting against the model; HR@k, NDCG@k, MRR per target domain and overall."""
from __future__ import annotations

import numpy as np
import torch

from .batching import build_batch
from .dataset import Catalog, EvalCase
from .model import HafTorch

METRICS = ('HR@1', 'HR@5', 'HR@10', 'NDCG@5', 'NDCG@10', 'MRR')


@torch.no_grad()
def item_table(model: HafTorch) -> torch.Tensor:
    """[size + 1, d] every item's vector."""
    dev = model.p('item.id').device
    return model.item_vectors(torch.arange(model.items + 1, device=dev))[0]


@torch.no_grad()
def user_vectors(model: HafTorch, catalog: Catalog, cases: list[EvalCase], table: torch.Tensor, batch_size: int = 256) -> torch.Tensor:
    """[len(cases), d] the user vector each case's history gives for its target domain."""
    out = []
    identity = torch.arange(model.items + 1, device=table.device)
    for start in range(0, len(cases), batch_size):
        chunk = cases[start : start + batch_size]
        batch = build_batch([c.history for c in chunk], catalog.domain_of, len(catalog.domains), model.config['maxLength'],
                            recommend_domains=[c.domain for c in chunk])
        out.append(model.user_vectors(batch, table, identity))
    return torch.cat(out)


@torch.no_grad()
def sampled_scores(model: HafTorch, catalog: Catalog, cases: list[EvalCase]) -> np.ndarray:
    """[len(cases), 1 + negatives]: the target's score, then each negative's."""
    was = model.training
    model.eval()
    table = item_table(model)
    users = user_vectors(model, catalog, cases, table)
    candidates = torch.from_numpy(np.stack([np.concatenate([[c.target], c.negatives]) for c in cases])).to(table.device)
    scores = torch.cat([torch.bmm(table[candidates[s : s + 64]], users[s : s + 64, :, None])[:, :, 0]
                        for s in range(0, len(cases), 64)])  # [cases, 1000]
    model.train(was)
    return scores.cpu().numpy()


def rank_against(target: float, negatives: np.ndarray) -> int:
    if np.isnan(target):
        return len(negatives) + 1
    return 1 + int(np.sum((negatives >= target) | np.isnan(negatives)))


def metrics_from_ranks(ranks: np.ndarray) -> dict:
    ranks = np.asarray(ranks, np.float64)
    if len(ranks) == 0:
        return {**{m: 0.0 for m in METRICS}, 'n': 0}
    ndcg = lambda k: float(np.mean(np.where(ranks <= k, 1 / np.log2(ranks + 1), 0)))
    hr = lambda k: float(np.mean(ranks <= k))
    return {'HR@1': hr(1), 'HR@5': hr(5), 'HR@10': hr(10), 'NDCG@5': ndcg(5), 'NDCG@10': ndcg(10),
            'MRR': float(np.mean(1 / ranks)), 'n': len(ranks)}


def by_domain(ranks: np.ndarray, domains: np.ndarray, names: list[str]) -> dict:
    out = {name: metrics_from_ranks(ranks[domains == d]) for d, name in enumerate(names)}
    out['overall'] = metrics_from_ranks(ranks)
    return out


@torch.no_grad()
def evaluate(model: HafTorch, catalog: Catalog, cases: list[EvalCase], full: bool = False) -> dict:
    """{'sampled': {domain|overall: metrics}, 'full'?: ...} and the per-case sampled ranks."""
    scores = sampled_scores(model, catalog, cases)
    ranks = np.array([rank_against(s[0], s[1:]) for s in scores])
    domains = np.array([c.domain for c in cases])
    report = {'sampled': by_domain(ranks, domains, catalog.domains), 'ranks': ranks.tolist()}
    if full:
        report['full'] = by_domain(full_ranks(model, catalog, cases), domains, catalog.domains)
    return report


@torch.no_grad()
def full_ranks(model: HafTorch, catalog: Catalog, cases: list[EvalCase]) -> np.ndarray:
    """Rank of each target among every other item of its domain, history included."""
    was = model.training
    model.eval()
    table = item_table(model)
    users = user_vectors(model, catalog, cases, table)
    model.train(was)
    ranks = np.zeros(len(cases), np.int64)
    for d, items in enumerate(catalog.domain_items):
        rows = [i for i, c in enumerate(cases) if c.domain == d]
        if not rows:
            continue
        scores = users[rows] @ table[torch.from_numpy(items).to(table.device)].T  # [n, M_d]
        at = torch.from_numpy(np.searchsorted(items, [cases[i].target for i in rows])).to(table.device)
        target = scores.gather(1, at[:, None])  # [n, 1]
        ahead = ((scores >= target) | scores.isnan()).sum(1) - 1  # the target itself is >= itself
        ranks[rows] = np.where(target[:, 0].isnan().cpu().numpy(), len(items), 1 + ahead.cpu().numpy())
    return ranks


def bootstrap_interval(values: np.ndarray, resamples: int = 2000, seed: int = 1) -> tuple[float, float]:
    """95% percentile bootstrap interval of the mean of per-shopper values (resampling shoppers)."""
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), (resamples, len(values)))].mean(1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))
