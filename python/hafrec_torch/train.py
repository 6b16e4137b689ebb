"""Trains HAF with PyTorch, one process or many (DistributedDataParallel):

  python3 -m hafrec_torch.train --data DIR --features FILE --out DIR [options]
  torchrun --nproc_per_node=N -m hafrec_torch.train --data DIR --features FILE --out DIR [options]

Chooses the epoch on VALID sampled NDCG@10 only (test is never read) and writes hafrec's
weights folder (model.json + weights.bin, loadable by loadHaf) and report.json (valid only).
The manifest records the selection chain: every epoch's valid score, the chosen epoch, and
the valid score of the stored (possibly float16) weights themselves."""
from __future__ import annotations

import argparse
import json
import os
import shlex
import sys

import numpy as np
import torch
import torch.distributed as dist

from .config import resolve_config
from .dataset import load_dataset
from .errors import UsageError, run_cli
from .evaluate import evaluate
from .features import read_feature_file
from .model import HafTorch
from .trainer import LossModule, TrainOptions, train, world
from .weights_io import QUANTIZATIONS, load_model, save_model


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog='hafrec_torch.train', description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default='public/data/food-kitchen', help='dataset folder (items.tsv, train.tsv, valid.tsv, ...)')
    p.add_argument('--features', help='fp32 feature file from: npm run embed -- --catalog DATA --model lexical --quantization fp32 --out FILE')
    p.add_argument('--out', required=True, help='weights folder to write')
    p.add_argument('--init', help='start from these hafrec weights (their config wins): fine-tuning')
    p.add_argument('--epochs', type=int, default=10)
    p.add_argument('--batch', type=int, default=2048, help='target queries (positions) per GLOBAL batch')
    p.add_argument('--negatives', default='4096', help="uniform negatives per domain per batch, or 'full'")
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--weight-decay', type=float, default=0.0)
    p.add_argument('--seed', type=int, default=42)
    p.add_argument('--patience', type=int, default=2)
    p.add_argument('--lr-schedule', choices=('constant', 'plateau'), default='constant')
    p.add_argument('--lr-decay', type=float, default=0.5)
    p.add_argument('--max-batches', type=int, help='stop each epoch after this many batches (smoke runs, benchmarks)')
    p.add_argument('--quantize', choices=QUANTIZATIONS, default='float32', help='storage of the item tables')
    p.add_argument('--dim', type=int, default=64)
    p.add_argument('--blocks', type=int, default=2)
    p.add_argument('--heads', type=int, default=1)
    p.add_argument('--dropout', type=float, default=0.3)
    p.add_argument('--no-modality-attention', action='store_true')
    p.add_argument('--no-domain-attention', action='store_true')
    p.add_argument('--id-only', action='store_true')
    p.add_argument('--single-domain', action='store_true')
    p.add_argument('--eval-each-epoch', action='store_true', help='log the full VALID report (sampled + full ranking) each epoch')
    p.add_argument('--no-validate', action='store_true', help='no early stopping: keep the last epoch')
    p.add_argument('--threads', type=int, help='torch CPU threads per process')
    p.add_argument('--device', help='cpu, cuda (default: cuda:LOCAL_RANK when CUDA is available, else cpu)')
    return p.parse_args(argv)


def setup(args: argparse.Namespace) -> torch.device:
    """Process group (gloo on CPU, NCCL on GPU) when launched by torchrun; the device."""
    local = int(os.environ.get('LOCAL_RANK', '0'))
    cuda = (args.device or ('cuda' if torch.cuda.is_available() else 'cpu')).startswith('cuda')
    if cuda and not torch.cuda.is_available():
        raise UsageError('--device cuda: CUDA is not available here; use --device cpu')
    device = torch.device(f'cuda:{local % torch.cuda.device_count()}' if cuda else 'cpu')
    if cuda:
        torch.cuda.set_device(device)
    if int(os.environ.get('WORLD_SIZE', '1')) > 1:
        # NCCL needs a GPU per process; processes sharing a GPU talk through gloo.
        per_node = int(os.environ.get('LOCAL_WORLD_SIZE', '1'))
        dist.init_process_group('nccl' if cuda and per_node <= torch.cuda.device_count() else 'gloo')
    if args.threads:
        torch.set_num_threads(args.threads)
    return device


def build_model(args: argparse.Namespace, dataset, features: list) -> tuple[HafTorch, dict | None]:
    if args.init:
        model, manifest = load_model(args.init, dataset.catalog, features)
        return model, manifest.get('training')
    config = resolve_config({'dim': args.dim, 'blocks': args.blocks, 'heads': args.heads, 'dropout': args.dropout,
                             'modalityAttention': not args.no_modality_attention, 'domainAttention': not args.no_domain_attention,
                             'idOnly': args.id_only, 'singleDomain': args.single_domain})
    known = np.zeros(dataset.catalog.size + 1, np.uint8)
    for s in dataset.train:
        known[s] = 1
    return HafTorch(config, dataset.catalog.size, len(dataset.catalog.domains), features, known, args.seed), None


def options_of(args: argparse.Namespace) -> TrainOptions:
    negatives = args.negatives if args.negatives == 'full' else int(args.negatives) if args.negatives.isdigit() else None
    if negatives is None:
        raise UsageError(f"--negatives {args.negatives}: give a positive integer or 'full'")
    return TrainOptions(args.epochs, args.batch, negatives, args.lr, args.weight_decay, args.seed, args.patience,
                        args.lr_schedule, args.lr_decay, args.max_batches)


def main(argv: list[str]) -> None:
    args = parse(argv)
    device = setup(args)
    rank, size = world()
    log = print if rank == 0 else (lambda _msg: None)
    dataset = load_dataset(args.data, ('valid',))
    features = read_feature_file(args.features, dataset.catalog) if args.features else []
    model, initial = build_model(args, dataset, features)
    if not model.config['idOnly'] and not features:
        raise UsageError('this config uses text features: give --features FILE (npm run embed -- --model lexical --quantization fp32 ...), or --id-only')
    model.to(device)
    torch.manual_seed(args.seed * 1000 + rank)
    module = LossModule(model)
    if size > 1:
        module = torch.nn.parallel.DistributedDataParallel(module, find_unused_parameters=True)
    valid = dataset.splits['valid']

    def validate() -> float:
        score = torch.zeros(1, dtype=torch.float64, device=device)
        if rank == 0:
            report = evaluate(model, dataset.catalog, valid, full=args.eval_each_epoch)
            score[0] = report['sampled']['overall']['NDCG@10']
            if args.eval_each_epoch:
                log('EPOCH-REPORT ' + json.dumps({'split': 'valid', 'sampled': report['sampled'], 'full': report['full']}))
        if size > 1:
            dist.broadcast(score, 0)
        return float(score[0])

    options = options_of(args)
    log(f'device {device}, {size} process(es), {torch.get_num_threads()} thread(s) each; config {json.dumps(model.config)}; train {json.dumps(vars(options))}')
    result = train(model, module, dataset.catalog, dataset.train, options, None if args.no_validate else validate, log)
    if rank == 0:
        finish(args, model, dataset, features, options, result, initial, size, device)
    if size > 1:
        dist.barrier()
        dist.destroy_process_group()


def finish(args, model: HafTorch, dataset, features, options: TrainOptions, result, initial, size: int, device) -> None:
    """Saves the chosen weights, re-reads the stored ones and records their own valid score."""
    command = 'hafrec_torch.train ' + shlex.join(sys.argv[1:])
    training = {'command': command, 'trainer': 'hafrec_torch', 'processes': size, 'device': str(device), **vars(options),
                'result': {'epochs': result.epochs, 'bestEpoch': result.best_epoch, 'bestValid': result.best_valid, 'history': result.history},
                **({'initial': initial} if initial else {})}
    save_model(model, dataset.catalog, features, args.out, args.quantize, training)
    stored, _ = load_model(args.out, dataset.catalog, features)
    report = evaluate(stored.to(device), dataset.catalog, dataset.splits['valid'], full=True)
    del report['ranks']
    training['selection'] = {'chosenOn': 'valid sampled NDCG@10', 'epochs': [{'epoch': h['epoch'], 'valid': h.get('valid')} for h in result.history],
                             'chosenEpoch': result.best_epoch, 'storedQuantization': args.quantize,
                             'storedValid': report['sampled']['overall']['NDCG@10']}
    save_model(model, dataset.catalog, features, args.out, args.quantize, training)
    with open(os.path.join(args.out, 'report.json'), 'w', encoding='utf-8') as f:
        json.dump({'config': model.config, 'options': vars(options), 'processes': size, 'result': training['result'],
                   'selection': training['selection'], 'valid': report}, f, indent=2)
    print(f"valid NDCG@10 of the stored weights: sampled {report['sampled']['overall']['NDCG@10']:.4f}, full {report['full']['overall']['NDCG@10']:.4f}")
    print(f'saved {args.out}')


if __name__ == '__main__':
    run_cli(main, sys.argv[1:])
