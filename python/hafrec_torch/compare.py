"""Compares weights folders on VALID (test stays sealed): sampled NDCG@10 of each with a 95%
bootstrap interval over shoppers, and the paired difference of each to the first.

  python3 -m hafrec_torch.compare --data DIR --features FILE A B [C ...]"""
from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .dataset import load_dataset
from .errors import run_cli
from .evaluate import bootstrap_interval, evaluate
from .features import read_feature_file
from .weights_io import load_model


def ndcg10(ranks: np.ndarray) -> np.ndarray:
    return np.where(ranks <= 10, 1 / np.log2(ranks + 1), 0.0)


def compare(data: str, feature_file: str, folders: list[str]) -> list[dict]:
    dataset = load_dataset(data, ('valid',))
    features = read_feature_file(feature_file, dataset.catalog)
    per_shopper = []
    for folder in folders:
        model, _ = load_model(folder, dataset.catalog, features)
        per_shopper.append(ndcg10(np.array(evaluate(model, dataset.catalog, dataset.splits['valid'])['ranks'], np.float64)))
    rows = []
    for folder, values in zip(folders, per_shopper):
        diff = values - per_shopper[0]
        rows.append({'weights': folder, 'split': 'valid', 'NDCG@10': float(values.mean()), 'ci95': bootstrap_interval(values),
                     'diffToFirst': float(diff.mean()), 'diffCi95': bootstrap_interval(diff), 'n': len(values)})
    return rows


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog='hafrec_torch.compare', description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default='public/data/food-kitchen')
    p.add_argument('--features', required=True)
    p.add_argument('weights', nargs='+')
    args = p.parse_args(argv)
    for row in compare(args.data, args.features, args.weights):
        print(json.dumps(row))


if __name__ == '__main__':
    run_cli(main, sys.argv[1:])
