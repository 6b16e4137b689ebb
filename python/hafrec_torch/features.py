"""Reads the frozen item feature tables from a hafrec feature file (the `hafrec-features`
format `npm run embed` writes; see src/embedding/feature-file.ts), so the text features
have one implementation: the TypeScript encoder. Only fp32 tables are accepted: fp16/int8
rows are re-normalized on decoding and would differ from the table the TS side computes."""
from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass

import numpy as np

from .dataset import Catalog
from .errors import CatalogMismatchError, FeatureMismatchError

MAGIC = b'HAFRFEAT'
FORMAT = 'hafrec-features'
# 2: the catalog is named by the id + domain hash every hafrec file uses; 1: a SHA-256 of the ids.
VERSIONS = (1, 2)


@dataclass(frozen=True)
class FeatureTable:
    modality: str
    encoder: str
    dim: int
    vectors: np.ndarray  # [size + 1, dim] float32, row 0 and absent rows zero
    present: np.ndarray  # [size + 1] uint8


def catalog_id_hash(catalog: Catalog, version: int) -> str:
    """What a feature file of `version` records of its catalog: the id + domain hash (src/catalog/fingerprint.ts) or, in version 1, a SHA-256 of the ids."""
    if version == 1:
        return hashlib.sha256('\n'.join(catalog.ids).encode('utf-8')).hexdigest()
    from .weights_io import catalog_fingerprint  # weights_io imports this module's FeatureTable

    return catalog_fingerprint(catalog)['idHash']


def _pad8(n: int) -> int:
    return (n + 7) // 8 * 8


def _bitmap_bytes(rows: int) -> int:
    return ((rows + 7) // 8 + 3) // 4 * 4


def _header(path: str, data: bytes) -> tuple[dict, int]:
    if len(data) < 12 or data[:8] != MAGIC:
        raise FeatureMismatchError(f'{path} is not a hafrec feature file (no "HAFRFEAT" preamble): make one with npm run embed')
    (length,) = struct.unpack_from('<I', data, 8)
    try:
        header = json.loads(data[12 : 12 + length].decode('utf-8'))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FeatureMismatchError(f'{path}: header is not JSON ({e})') from None
    if header.get('format') != FORMAT or header.get('version') not in VERSIONS:
        raise FeatureMismatchError(f'{path}: format {header.get("format")!r} v{header.get("version")} is not {FORMAT!r} v{" or v".join(map(str, VERSIONS))}')
    return header, _pad8(12 + length)


def _table(path: str, data: bytes, start: int, rows: int, h: dict) -> FeatureTable:
    if h['quantization'] != 'fp32':
        raise FeatureMismatchError(f'{path}: table "{h["modality"]}" is {h["quantization"]}; training needs exact vectors: npm run embed -- ... --quantization fp32')
    base = start + h['offset']
    if base + h['bytes'] > len(data):
        raise FeatureMismatchError(f'{path}: table "{h["modality"]}" is truncated')
    bits = np.unpackbits(np.frombuffer(data, np.uint8, (rows + 7) // 8, base), bitorder='little')[:rows]
    bits[0] = 0
    present_rows = np.nonzero(bits)[0]
    if len(present_rows) != h['count']:
        raise FeatureMismatchError(f'{path}: table "{h["modality"]}" bitmap marks {len(present_rows)} items, header lists {h["count"]}')
    dim = h['dim']
    vectors = np.zeros((rows, dim), np.float32)
    vectors[present_rows] = np.frombuffer(data, '<f4', len(present_rows) * dim, base + _bitmap_bytes(rows)).reshape(-1, dim)
    return FeatureTable(h['modality'], h['encoder'], dim, vectors, bits.astype(np.uint8))


def read_feature_file(path: str, catalog: Catalog) -> list[FeatureTable]:
    """Every table of the file, checked to be made for exactly this catalog's ids in order."""
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        raise FeatureMismatchError(f'cannot read feature file {path}: {e.strerror}') from None
    header, start = _header(path, data)
    made_for = header['catalog']
    if made_for['size'] != catalog.size or made_for['idHash'] != catalog_id_hash(catalog, header['version']):
        raise CatalogMismatchError(
            f'{path} was made for catalog "{made_for["name"]}" ({made_for["size"]} items), not for "{catalog.name}" '
            f'({catalog.size} items, other ids): re-run npm run embed on this catalog'
        )
    return [_table(path, data, start, catalog.size + 1, h) for h in header['tables']]
