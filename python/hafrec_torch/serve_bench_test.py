"""The model-native bench's Python server: request handling over JSON lines, and the ONNX
serving graph against the package's own serving pass (same weights, same top-10)."""
from __future__ import annotations

import io
import json
import os

import numpy as np
import pytest
import torch

from .conftest import SHIPPED
from .serve_bench import BenchServer, serve
from .serve_onnx import ServingGraph, export_onnx, graph_inputs
from .weights_io import load_model

KITCHEN = 1


@pytest.fixture(scope='module')
def server(dataset, features):
    model, _ = load_model(SHIPPED, dataset.catalog, features)
    with torch.inference_mode():
        return BenchServer(model, dataset.catalog)


def _run(server: BenchServer, *requests) -> list[dict]:
    out = io.StringIO()
    serve(server, io.StringIO(''.join((r if isinstance(r, str) else json.dumps(r)) + '\n' for r in requests)), out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_recommend_times_each_history_alone_and_serves_the_kitchen_top_10(server, dataset):
    histories = [c.history.tolist() for c in dataset.splits['valid'][:3]]
    [reply] = _run(server, {'op': 'recommend', 'histories': histories, 'domain': KITCHEN, 'k': 10})
    assert len(reply['ns']) == 3 and all(ns > 0 for ns in reply['ns'])
    kitchen = set(dataset.catalog.domain_items[KITCHEN].tolist())
    for items, scores in zip(reply['items'], reply['scores']):
        assert len(items) == 10 and set(items) <= kitchen
        assert scores == sorted(scores, reverse=True)
    with torch.inference_mode():
        values, at = server.top_k([np.array(h) for h in histories], KITCHEN, 10)
    assert at.tolist() == reply['items']  # alone or batched, the same top-10
    assert np.abs(values.numpy() - np.array(reply['scores'])).max() < 1e-5


def test_batch_answers_one_timing_per_repeat(server, dataset):
    histories = [c.history.tolist() for c in dataset.splits['valid'][:4]]
    [reply] = _run(server, {'op': 'batch', 'histories': histories, 'domain': KITCHEN, 'k': 5, 'repeat': 3})
    assert len(reply['ns']) == 3


def test_bad_requests_answer_an_error_and_the_server_keeps_serving(server, dataset):
    good = {'op': 'recommend', 'histories': [dataset.splits['valid'][0].history.tolist()], 'domain': KITCHEN, 'k': 10}
    replies = _run(server, 'not json', {'op': 'nope'}, {**good, 'domain': 7}, {**good, 'histories': [[0]]}, {**good, 'k': 0}, good,
                   {'op': 'quit'}, good)
    assert [('error' in r) for r in replies] == [True, True, True, True, True, False]  # nothing after quit
    assert 'unknown op' in replies[1]['error'] and 'domain 7' in replies[2]['error']


def test_serving_graph_matches_the_package_serving_pass_and_exports(server, dataset, tmp_path):
    valid = dataset.splits['valid']
    kitchen_only = dataset.catalog.domain_items[KITCHEN][:5]  # its food view is empty: one padding column
    histories = [valid[0].history, kitchen_only, valid[1].history, np.zeros(0, np.int64)]
    graph = ServingGraph(server.model, server.table, dataset.catalog.domain_items[KITCHEN], 10)
    with torch.inference_mode():
        want_scores, want_items = server.top_k(histories, KITCHEN, 10)
        got_scores, got_items = graph(*graph_inputs(server._batch(histories, KITCHEN), len(dataset.catalog.domains)))
    assert got_items.tolist() == want_items.tolist()
    assert (got_scores - want_scores).abs().max() < 1e-5
    [reply] = _run(server, {'op': 'export_onnx', 'path': str(tmp_path / 'g.onnx'), 'domain': KITCHEN, 'k': 10})
    assert os.path.getsize(reply['path']) > server.table.numel() * 4  # the item table travels as a constant
