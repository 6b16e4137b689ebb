"""Weights written by PyTorch load in TypeScript (loadHaf) with the same scores; bad weights
and features are typed errors."""
from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest

from .config import resolve_config
from .conftest import SHIPPED, run_tsx
from .errors import CatalogMismatchError, FeatureMismatchError, WeightsFormatError
from .evaluate import sampled_scores
from .features import read_feature_file
from .model import HafTorch
from .weights_io import MODEL_FILE, load_model, read_weights, save_model


def _fresh(dataset, features, seed=3) -> HafTorch:
    known = np.zeros(dataset.catalog.size + 1, np.uint8)
    for s in dataset.train:
        known[s] = 1
    config = resolve_config({'dim': 16, 'attentionDim': 8, 'blocks': 1})
    return HafTorch(config, dataset.catalog.size, len(dataset.catalog.domains), features, known, seed)


def test_float16_export_loads_in_typescript_with_the_same_scores(tmp_path, dataset, features):
    folder = str(tmp_path / 'exported')
    save_model(_fresh(dataset, features), dataset.catalog, features, folder, 'float16', {'command': 'test'})
    reloaded, manifest = load_model(folder, dataset.catalog, features)
    assert manifest['quantization'] == 'float16'
    out = str(tmp_path / 'ts')
    run_tsx('scripts/torch-reference.ts', '--out', out, '--weights', folder, '--shoppers', '16', '--scores-only')
    ref = json.load(open(os.path.join(out, 'scores.json')))
    got = sampled_scores(reloaded, dataset.catalog, dataset.splits['valid'][:16])
    assert np.abs(got - np.array(ref['scores'], np.float32)).max() <= 1e-4


def test_float32_round_trip_is_exact(tmp_path, dataset, features):
    model = _fresh(dataset, features, seed=9)
    save_model(model, dataset.catalog, features, str(tmp_path), 'float32')
    _, tensors = read_weights(str(tmp_path))
    for name, p in model.named_hafrec_parameters():
        assert np.array_equal(tensors[name], p.detach().numpy()), name
    assert np.array_equal(tensors['item.known'], model.id_known.numpy())


def _edited_copy(tmp_path, edit) -> str:
    folder = str(tmp_path / 'edited')
    shutil.copytree(SHIPPED, folder)
    path = os.path.join(folder, MODEL_FILE)
    model_json = json.load(open(path))
    edit(model_json)
    json.dump(model_json, open(path, 'w'))
    return folder


def test_missing_folder_is_a_weights_format_error(tmp_path, dataset, features):
    with pytest.raises(WeightsFormatError, match='model.json and weights.bin'):
        load_model(str(tmp_path / 'nowhere'), dataset.catalog, features)


def test_wrong_shape_is_a_weights_format_error(tmp_path, dataset, features):
    def edit(m):
        spec = next(s for s in m['weightsManifest'][0]['weights'] if s['name'] == 'dom.bias')
        spec['shape'] = [3, 2]
    with pytest.raises(WeightsFormatError, match='"dom.bias" is 3x2, expected 2x3'):
        load_model(_edited_copy(tmp_path, edit), dataset.catalog, features)


def test_catalog_mismatch_is_typed(tmp_path, dataset, features):
    def edit(m):
        m['userDefinedMetadata']['hafrec']['catalog']['idHash'] = '0123456789abcdef'
    with pytest.raises(CatalogMismatchError, match='id hash 0123456789abcdef'):
        load_model(_edited_copy(tmp_path, edit), dataset.catalog, features)


def test_missing_features_are_typed(dataset):
    with pytest.raises(FeatureMismatchError, match='lexical-v1-d256'):
        load_model(SHIPPED, dataset.catalog, [])


def test_feature_file_of_another_catalog_is_typed(tmp_path, feature_file, dataset):
    other = type(dataset.catalog)(**{**dataset.catalog.__dict__, 'ids': dataset.catalog.ids[::-1]})
    with pytest.raises(CatalogMismatchError, match='re-run npm run embed'):
        read_feature_file(feature_file, other)
    garbage = tmp_path / 'garbage.bin'
    garbage.write_bytes(b'not a feature file')
    with pytest.raises(FeatureMismatchError, match='HAFRFEAT'):
        read_feature_file(str(garbage), dataset.catalog)
