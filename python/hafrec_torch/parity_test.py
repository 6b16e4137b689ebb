"""The PyTorch model against the TypeScript one (Node wasm) with the same weights."""
from __future__ import annotations

import json
import os

import numpy as np

from .conftest import SHIPPED
from .evaluate import sampled_scores
from .trainer import LossModule, step_inputs
from .weights_io import load_model

SCORE_TOLERANCE = 1e-4
LOSS_TOLERANCE = 1e-5  # relative
# Per parameter, relative to that gradient's largest entry. The full-softmax gradients of the
# modality-attention parameters add up float32 terms over all 27,637 kitchen items in another
# order: 7.4e-5 at most with new-item scale 1, 1.3e-4 with the shipped model's scale 3 (its
# new products' logits are 3x larger); a wrong formula is off by orders of magnitude more.
GRADIENT_TOLERANCE = 2.5e-4


def test_scores_match_typescript_on_valid_shoppers(reference, dataset, features):
    ref = json.load(open(os.path.join(reference, 'scores.json')))
    model, _ = load_model(SHIPPED, dataset.catalog, features)
    cases = dataset.splits['valid'][: len(ref['scores'])]
    assert [c.user for c in cases] == ref['users']
    got = sampled_scores(model, dataset.catalog, cases)
    assert got.shape == (64, 1000)
    assert np.abs(got - np.array(ref['scores'], np.float32)).max() <= SCORE_TOLERANCE


def _check_step(reference, dataset, features, variant: str) -> None:
    ref = json.load(open(os.path.join(reference, f'step-{variant}.json')))
    grads = np.fromfile(os.path.join(reference, f'step-{variant}.bin'), '<f4')
    model, _ = load_model(SHIPPED, dataset.catalog, features)
    model.config = {**model.config, 'dropout': 0.0}
    negatives = [np.array(n, np.int64) for n in ref['negatives']]
    local, groups, total, whole = step_inputs(dataset.catalog, model.config, [dataset.train[r] for r in ref['rows']], negatives, 0, 1)
    assert total == ref['queries']
    loss = LossModule(model)(local, groups, 1 / total, whole, ref['weightDecay'])
    loss.backward()
    assert abs(float(loss) - ref['loss']) <= LOSS_TOLERANCE * abs(ref['loss'])
    names = [g['name'] for g in ref['grads']]
    assert names == model.names
    for g in ref['grads']:
        want = grads[g['offset'] : g['offset'] + int(np.prod(g['shape']))].reshape(g['shape'])
        got = model.p(g['name']).grad
        got = np.zeros(g['shape'], np.float32) if got is None else got.numpy()
        scale = max(float(np.abs(want).max()), 1e-6)
        assert np.abs(got - want).max() <= GRADIENT_TOLERANCE * scale, g['name']


def test_one_step_full_softmax_matches_typescript(reference, dataset, features):
    _check_step(reference, dataset, features, 'full')


def test_one_step_sampled_negatives_and_weight_decay_match_typescript(reference, dataset, features):
    _check_step(reference, dataset, features, 'sampled')
