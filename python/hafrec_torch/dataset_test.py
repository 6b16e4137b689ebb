"""The dataset reader takes its domains from the data (any number, any names); the model
trains and evaluates on such a dataset; bad input is a typed error, also from the CLI."""
from __future__ import annotations

import gzip
import subprocess
import sys

import numpy as np
import pytest

from .config import resolve_config
from .conftest import ROOT
from .dataset import load_dataset
from .errors import DataFormatError
from .evaluate import evaluate
from .model import HafTorch
from .trainer import LossModule, TrainOptions, make_optimizer, train

DOMAINS = ['movies', 'books', 'music']


def _write(folder, name: str, header: str, rows: list[str], gz: bool = False) -> None:
    text = '\n'.join([header, *rows]) + '\n'
    path = folder / (name + ('.gz' if gz else ''))
    path.write_bytes(gzip.compress(text.encode()) if gz else text.encode())


def _three_domains(folder) -> None:
    items = [f'{i}\t{DOMAINS[i % 3]}\tx\ttitle {i}' for i in range(30)]
    _write(folder, 'items.tsv', 'item\tdomain\tasin\ttitle', items, gz=True)
    rng = np.random.default_rng(0)
    train = [f'u{u}\t' + ','.join(str(x) for x in rng.integers(0, 30, rng.integers(2, 9))) for u in range(40)]
    _write(folder, 'train.tsv', 'user\titems', train)
    valid, negatives = [], []
    for u in range(6):
        seq = [int(x) for x in rng.integers(0, 30, 4)]
        valid.append(f'v{u}\t' + ','.join(map(str, seq)))
        same = [i for i in range(30) if i % 3 == seq[-1] % 3 and i != seq[-1]]
        negatives.append(f'v{u}\t' + ','.join(map(str, same[:5])))
    _write(folder, 'valid.tsv', 'user\titems', valid)
    _write(folder, 'valid_negatives.tsv', 'user\tnegatives', negatives)


def test_domains_come_from_the_data_and_the_model_trains_on_them(tmp_path):
    _three_domains(tmp_path)
    data = load_dataset(str(tmp_path), ('valid',), name='three')
    assert data.catalog.domains == DOMAINS
    assert [len(d) for d in data.catalog.domain_items] == [10, 10, 10]
    known = np.ones(31, np.uint8)
    model = HafTorch(resolve_config({'dim': 8, 'attentionDim': 4, 'blocks': 1, 'maxLength': 6}), 30, 3, [], known, 1)
    options = TrainOptions(epochs=2, batch_positions=16, negatives=4, patience=2)
    before = evaluate(model, data.catalog, data.splits['valid'])['sampled']['overall']['n']
    result = train(model, LossModule(model), data.catalog, data.train, options,
                   lambda: evaluate(model, data.catalog, data.splits['valid'])['sampled']['overall']['NDCG@10'], log=lambda _m: None)
    assert before == 6 and result.epochs == 2
    assert all(np.isfinite(h['loss']) and h['loss'] > 0 for h in result.history)
    assert make_optimizer(model, 0.1).param_groups[0]['betas'] == (0.9, 0.98)


def test_bad_rows_and_missing_files_are_data_format_errors(tmp_path):
    _three_domains(tmp_path)
    (tmp_path / 'valid_negatives.tsv').unlink()
    with pytest.raises(DataFormatError, match='valid_negatives.tsv'):
        load_dataset(str(tmp_path), ('valid',))
    _write(tmp_path, 'train.tsv', 'user\titems', ['u0\t1,99'])
    with pytest.raises(DataFormatError, match=r'train.tsv line 2: item id "99" is not an integer in 0..29'):
        load_dataset(str(tmp_path), ())


def test_cli_reports_bad_input_without_a_traceback(tmp_path):
    done = subprocess.run([sys.executable, '-m', 'hafrec_torch.train', '--data', str(tmp_path / 'nowhere'), '--out', str(tmp_path / 'o')],
                          cwd=f'{ROOT}/python', capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.startswith('DataFormatError: dataset folder') and 'Traceback' not in done.stderr


def test_dataset_json_names_the_dataset_its_domain_order_files_and_store_ids(tmp_path):
    _three_domains(tmp_path)
    (tmp_path / 'items.tsv.gz').rename(tmp_path / 'catalog-items.tsv.gz')
    (tmp_path / 'dataset.json').write_text(
        '{"format": "hafrec-dataset", "version": 1, "name": "my-shop", "domains": ["music", "movies", "books"],'
        ' "files": {"items": "catalog-items.tsv.gz", "train": "train.tsv", "valid": "valid.tsv",'
        ' "valid_negatives": "valid_negatives.tsv"}}')
    data = load_dataset(str(tmp_path), ('valid',))
    assert data.catalog.name == 'my-shop'
    assert data.catalog.domains == ['music', 'movies', 'books']
    assert data.catalog.domain_of[1] == 1 and data.catalog.domain_of[3] == 0
    items = [f'{i}\t{DOMAINS[i % 3]}\tsku-{i}' for i in range(30)]
    _write(tmp_path, 'catalog-items.tsv', 'item\tdomain\tid', items, gz=True)
    assert load_dataset(str(tmp_path), ()).catalog.ids[:2] == ['sku-0', 'sku-1']
    _write(tmp_path, 'catalog-items.tsv', 'item\tdomain\tid', [*items[:29], '29\tgames\tsku-29'], gz=True)
    with pytest.raises(DataFormatError, match='unknown domain "games": valid domains are music, movies, books'):
        load_dataset(str(tmp_path), ())
