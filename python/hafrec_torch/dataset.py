"""The one reader of hafrec's dataset format (a folder of TSV files, each optionally gzipped,
pinned by SHA256SUMS over the uncompressed bytes): items.tsv (item, domain, ...), train.tsv,
valid.tsv / test.tsv (user, items: comma-separated 0-based ids, oldest first) and
<split>_negatives.tsv (user, negatives). `dataset.json`, when present, names the dataset, its
domains in order and its files (docs/data-format.md); without it, domains are taken from
items.tsv in first-seen order, any number of them with any names. Internal index = id + 1; 0 is padding. Only the splits
asked for are read: training never opens test."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass

import numpy as np

from .errors import DataFormatError

DEFAULT_CATALOG_NAME = 'food-kitchen'


@dataclass(frozen=True)
class Catalog:
    name: str
    ids: list[str]  # external id of internal index i at ids[i - 1]
    item_domains: list[str]
    domains: list[str]
    domain_of: np.ndarray  # [size + 1] int64, -1 at padding
    domain_items: list[np.ndarray]  # per domain, ascending internal indices

    @property
    def size(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class EvalCase:
    user: str
    history: np.ndarray  # int64 internal indices
    target: int
    domain: int
    negatives: np.ndarray


@dataclass(frozen=True)
class Dataset:
    catalog: Catalog
    train: list[np.ndarray]
    splits: dict[str, list[EvalCase]]


@dataclass(frozen=True)
class Manifest:
    """What `dataset.json` declares (the TS side's dataset-manifest.ts); defaults where absent."""
    name: str
    domains: list[str] | None
    files: dict[str, str]


def _read_manifest(folder: str, default_name: str) -> Manifest:
    path = os.path.join(folder, 'dataset.json')
    if not os.path.exists(path):
        return Manifest(default_name, None, {})
    try:
        with open(path, encoding='utf-8') as f:
            raw = json.load(f)
    except (OSError, ValueError) as e:
        raise DataFormatError(f'dataset.json: not readable JSON ({e})') from None
    if not isinstance(raw, dict) or raw.get('format') != 'hafrec-dataset':
        raise DataFormatError('dataset.json: "format" must be "hafrec-dataset"')
    domains = raw.get('domains')
    if domains is not None and not (isinstance(domains, list) and all(isinstance(d, str) and d for d in domains)):
        raise DataFormatError('dataset.json: "domains" must be a list of non-empty names')
    files = raw.get('files') or {}
    return Manifest(str(raw.get('name') or default_name), domains, {str(k): str(v) for k, v in files.items()})


def _read_text(folder: str, name: str, sums: dict[str, str], stored: str | None = None) -> str:
    """Reads `name` (checksummed under that name) from the file `stored` (default: name or name.gz)."""
    plain = os.path.join(folder, name)
    path = os.path.join(folder, stored) if stored else (plain if os.path.exists(plain) else plain + '.gz')
    if not os.path.exists(path):
        raise DataFormatError(f'{plain}[.gz] does not exist: a dataset folder needs {name} (plain or gzipped)')
    with open(path, 'rb') as f:
        raw = f.read()
    data = gzip.decompress(raw) if path.endswith('.gz') else raw
    want = sums.get(name)
    if want is not None and hashlib.sha256(data).hexdigest() != want:
        raise DataFormatError(f'{name}: SHA-256 does not match SHA256SUMS (the file is damaged or was edited)')
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        raise DataFormatError(f'{name}: not valid UTF-8 at byte {e.start}') from None


def _rows(name: str, text: str, columns: list[str]) -> list[tuple[int, list[str]]]:
    lines = text.split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    header = lines[0].rstrip('\r').split('\t') if lines else []
    if header[: len(columns)] != columns:
        raise DataFormatError(f'{name} line 1: header must start with {"<TAB>".join(columns)}, found {"<TAB>".join(header)}')
    width = len(header)
    out = []
    for i, line in enumerate(lines[1:], start=2):
        fields = line.rstrip('\r').split('\t')
        if len(fields) != width:
            raise DataFormatError(f'{name} line {i}: expected {width} tab-separated fields, found {len(fields)}')
        out.append((i, fields))
    return out


def _text(folder: str, role: str, sums: dict[str, str], manifest: Manifest) -> str:
    stored = manifest.files.get(role)
    name = stored[:-3] if stored and stored.endswith('.gz') else (stored or f'{role}.tsv')
    return _read_text(folder, name, sums, stored)


def _read_catalog(folder: str, sums: dict[str, str], manifest: Manifest) -> Catalog:
    """Items by header: `item` (dense 0-based) and `domain` required; `id` is the store's own id."""
    ids: list[str] = []
    item_domains: list[str] = []
    domains: list[str] = list(manifest.domains or [])
    text = _text(folder, 'items', sums, manifest)
    header = text.split('\n', 1)[0].rstrip('\r').split('\t')
    id_col = header.index('id') if 'id' in header else 0
    for line, fields in _rows('items.tsv', text, ['item', 'domain']):
        if fields[0] != str(len(ids)):
            raise DataFormatError(f'items.tsv line {line}: item id must be {len(ids)} (0-based, consecutive), found "{fields[0]}"')
        if fields[1] == '':
            raise DataFormatError(f'items.tsv line {line}: empty domain')
        if fields[1] not in domains:
            if manifest.domains is not None:
                raise DataFormatError(f'items.tsv line {line}: unknown domain "{fields[1]}": valid domains are {", ".join(manifest.domains)}')
            domains.append(fields[1])
        ids.append(fields[id_col])
        item_domains.append(fields[1])
    domain_of = np.full(len(ids) + 1, -1, dtype=np.int64)
    domain_of[1:] = [domains.index(d) for d in item_domains] if ids else []
    domain_items = [np.nonzero(domain_of == d)[0].astype(np.int64) for d in range(len(domains))]
    return Catalog(manifest.name, ids, item_domains, domains, domain_of, domain_items)


def _item_list(name: str, line: int, field: str, size: int, minimum: int) -> np.ndarray:
    parts = field.split(',') if field else []
    if len(parts) < minimum:
        raise DataFormatError(f'{name} line {line}: needs at least {minimum} item id(s), found {len(parts)}')
    if not all(p.isdigit() and int(p) < size for p in parts):
        bad = next(p for p in parts if not (p.isdigit() and int(p) < size))
        raise DataFormatError(f'{name} line {line}: item id "{bad}" is not an integer in 0..{size - 1}')
    return np.array([int(p) + 1 for p in parts], dtype=np.int64)


def _sequences(name: str, text: str, size: int, minimum: int) -> list[tuple[str, int, np.ndarray]]:
    return [(f[0], line, _item_list(name, line, f[1], size, minimum)) for line, f in _rows(name, text, ['user', 'items'])]


def _eval_split(folder: str, split: str, sums: dict[str, str], catalog: Catalog, manifest: Manifest) -> list[EvalCase]:
    name = f'{split}_negatives.tsv'
    negatives = {f[0]: (line, f[1]) for line, f in _rows(name, _text(folder, f'{split}_negatives', sums, manifest), ['user', 'negatives'])}
    cases = []
    for user, _, items in _sequences(f'{split}.tsv', _text(folder, split, sums, manifest), catalog.size, 2):
        if user not in negatives:
            raise DataFormatError(f'{name}: no negatives line for user "{user}" of {split}.tsv')
        line, field = negatives[user]
        target = int(items[-1])
        domain = int(catalog.domain_of[target])
        neg = _item_list(name, line, field, catalog.size, 1)
        if np.any(catalog.domain_of[neg] != domain) or np.any(neg == target):
            raise DataFormatError(f'{name} line {line}: negatives must be items of the target\'s domain "{catalog.domains[domain]}", never the target')
        cases.append(EvalCase(user, items[:-1], target, domain, neg))
    return cases


def _checksums(folder: str) -> dict[str, str]:
    path = os.path.join(folder, 'SHA256SUMS')
    if not os.path.exists(path):
        return {}
    with open(path, encoding='utf-8') as f:
        return {parts[1].lstrip('*'): parts[0] for parts in (line.split() for line in f) if len(parts) == 2}


def load_dataset(folder: str, splits: tuple[str, ...] = ('valid',), name: str = DEFAULT_CATALOG_NAME) -> Dataset:
    """Reads the catalog, train.tsv and the named evaluation splits (validated as the TS loader does)."""
    if not os.path.isdir(folder):
        raise DataFormatError(f'dataset folder {folder} does not exist: give a folder with items.tsv, train.tsv, valid.tsv ...')
    sums = _checksums(folder)
    manifest = _read_manifest(folder, name)
    catalog = _read_catalog(folder, sums, manifest)
    train = [items for _, _, items in _sequences('train.tsv', _text(folder, 'train', sums, manifest), catalog.size, 1)]
    return Dataset(catalog, train, {s: _eval_split(folder, s, sums, catalog, manifest) for s in splits})
