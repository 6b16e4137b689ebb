"""Session fixtures: the Food-Kitchen dataset (valid split only: test stays sealed), the
lexical feature file and the TypeScript reference values, made by the repo's own TS scripts."""
from __future__ import annotations

import os
import subprocess

import pytest

from .dataset import load_dataset
from .features import read_feature_file

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DATA = os.path.join(ROOT, 'public', 'data', 'food-kitchen')
SHIPPED = os.path.join(ROOT, 'public', 'models', 'haf-food-kitchen')


def run_tsx(*args: str) -> None:
    done = subprocess.run(['npx', 'tsx', *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, f'npx tsx {" ".join(args)} failed:\n{done.stdout}\n{done.stderr}'


@pytest.fixture(scope='session')
def dataset():
    return load_dataset(DATA, ('valid',))


@pytest.fixture(scope='session')
def feature_file(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp('features') / 'lexical.fp32.bin')
    run_tsx('scripts/embed.ts', '--catalog', DATA, '--model', 'lexical', '--quantization', 'fp32', '--out', path)
    return path


@pytest.fixture(scope='session')
def features(feature_file, dataset):
    return read_feature_file(feature_file, dataset.catalog)


@pytest.fixture(scope='session')
def reference(tmp_path_factory) -> str:
    """scores.json and step-{full,sampled}.{json,bin} of the shipped weights, from TS."""
    out = str(tmp_path_factory.mktemp('reference'))
    run_tsx('scripts/torch-reference.ts', '--out', out, '--shoppers', '64', '--rows', '24')
    return out
