"""The PyTorch half of `npm run bench -- --only model-native`: one long-lived process that loads
hafrec weights and a feature file once, then answers JSON-line requests on stdin with one JSON
line each on stdout. Every timing is taken here with perf_counter_ns around the scoring alone,
so the pipe to Node (IPC, JSON) is never counted. One thread and inference mode, to compare
with hafrec's single-threaded wasm.

  python3 -m hafrec_torch.serve_bench --data DIR --weights DIR --features FILE

Requests: {"op": "recommend", "histories": [[catalog index, ...], ...], "domain": t, "k": k}
(each history timed alone: "ns", "items", "scores"), {"op": "batch", "histories": ..., "domain",
"k", "repeat": r} (all histories in one pass, r times: "ns" per pass), {"op": "export_onnx",
"path", "domain", "k"} (the serving graph of serve_onnx.py), {"op": "quit"}."""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import IO

import numpy as np
import torch

from .batching import build_batch
from .dataset import Catalog, load_dataset
from .errors import HafrecError, run_cli
from .evaluate import item_table
from .features import read_feature_file
from .model import HafTorch
from .serve_onnx import ServingGraph, export_onnx, graph_inputs
from .weights_io import load_model


class BenchServer:
    """The shipped model's serving pass as HafRecommender.recommend does it: build the batch,
    user vectors, scores of every item of the domain, top-k (no history exclusion)."""

    def __init__(self, model: HafTorch, catalog: Catalog):
        model.eval()
        self.model, self.catalog = model, catalog
        self.table = item_table(model)  # cached once, as HafRecommender caches its item table
        self.identity = torch.arange(model.items + 1)
        self.domain_tables = [self.table[torch.from_numpy(items)].T.contiguous() for items in catalog.domain_items]

    def _batch(self, histories: list[np.ndarray], domain: int):
        return build_batch(histories, self.catalog.domain_of, len(self.catalog.domains), self.model.config['maxLength'],
                           recommend_domains=[domain] * len(histories))

    def top_k(self, histories: list[np.ndarray], domain: int, k: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(scores [N, k], catalog indices [N, k]) best first."""
        users = self.model.user_vectors(self._batch(histories, domain), self.table, self.identity)
        values, at = torch.topk(users @ self.domain_tables[domain], k, 1)
        return values, torch.from_numpy(self.catalog.domain_items[domain])[at]

    def handle(self, request: dict) -> dict:
        op = request.get('op')
        histories = [np.asarray(h, np.int64) for h in request.get('histories', [])]
        domain, k = int(request.get('domain', 0)), int(request.get('k', 10))
        if op in ('recommend', 'batch', 'export_onnx'):
            self._check(histories, domain, k)
        if op == 'recommend':
            return self._recommend(histories, domain, k)
        if op == 'batch':
            return {'ns': [self._timed(lambda: self.top_k(histories, domain, k))[0] for _ in range(int(request.get('repeat', 1)))]}
        if op == 'export_onnx':
            return self._export(str(request['path']), domain, k)
        raise ValueError(f'unknown op {op!r}: use recommend, batch, export_onnx or quit')

    def _check(self, histories: list[np.ndarray], domain: int, k: int) -> None:
        if not 0 <= domain < len(self.catalog.domains):
            raise ValueError(f'domain {domain} is not one of 0..{len(self.catalog.domains) - 1}')
        if not 1 <= k <= len(self.catalog.domain_items[domain]):
            raise ValueError(f'k {k} is not in 1..{len(self.catalog.domain_items[domain])}')
        for h in histories:
            if len(h) and (h.min() < 1 or h.max() > self.catalog.size):
                raise ValueError(f'a history holds an item outside 1..{self.catalog.size} (catalog indices are id + 1)')

    @staticmethod
    def _timed(fn) -> tuple[int, object]:
        start = time.perf_counter_ns()
        out = fn()
        return time.perf_counter_ns() - start, out

    def _recommend(self, histories: list[np.ndarray], domain: int, k: int) -> dict:
        ns, items, scores = [], [], []
        for h in histories:
            took, (values, at) = self._timed(lambda: self.top_k([h], domain, k))
            ns.append(took)
            items.append(at[0].tolist())
            scores.append(values[0].tolist())
        return {'ns': ns, 'items': items, 'scores': scores}

    def _export(self, path: str, domain: int, k: int) -> dict:
        graph = ServingGraph(self.model, self.table, self.catalog.domain_items[domain], k)
        example = graph_inputs(self._batch([self.catalog.domain_items[domain][:3], self.catalog.domain_items[0][:2]], domain),
                               len(self.catalog.domains))
        took, _ = self._timed(lambda: export_onnx(graph, example, path))
        return {'path': path, 'ms': took / 1e6}


def blas_library() -> str:
    """The BLAS this process mapped: Debian's python3-torch calls whatever libblas.so.3 the
    system (or LD_LIBRARY_PATH) provides, and the reference BLAS is ~10x slower than OpenBLAS
    at these products, so a timing means little without it."""
    try:
        with open('/proc/self/maps', encoding='utf-8') as f:
            found = sorted({line.split()[-1] for line in f if 'blas' in line.rsplit('/', 1)[-1]})
    except OSError:
        return 'unknown'
    return ', '.join(found) or 'none mapped'


def serve(server: BenchServer, lines: IO[str], out: IO[str]) -> None:
    """One JSON line out per line in, until {"op": "quit"} or end of input; a failed request
    answers {"error": ...} and the server keeps going."""
    for line in lines:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            if request.get('op') == 'quit':
                break
            with torch.inference_mode():
                reply = server.handle(request)
        except (ValueError, KeyError, TypeError, HafrecError) as e:
            reply = {'error': f'{type(e).__name__}: {e}'}
        out.write(json.dumps(reply) + '\n')
        out.flush()


def main(argv: list[str]) -> None:
    p = argparse.ArgumentParser(prog='hafrec_torch.serve_bench', description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--data', default='public/data/food-kitchen')
    p.add_argument('--weights', default='public/models/haf-food-kitchen')
    p.add_argument('--features', required=True, help='fp32 feature file the weights need (npm run embed -- --quantization fp32)')
    args = p.parse_args(argv)
    torch.set_num_threads(1)
    catalog = load_dataset(args.data, ()).catalog
    model, _ = load_model(args.weights, catalog, read_feature_file(args.features, catalog))
    with torch.inference_mode():
        server = BenchServer(model, catalog)
    sys.stdout.write(json.dumps({'ready': True, 'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas_library()}) + '\n')
    sys.stdout.flush()
    serve(server, sys.stdin, sys.stdout)


if __name__ == '__main__':
    run_cli(main, sys.argv[1:])
