"""hafrec's weights format (src/model/weights-io.ts, manifest.ts, node.ts's fileHandler):
a folder with model.json (tfjs weights manifest; the hafrec manifest in
userDefinedMetadata.hafrec) and weights.bin (tensors in manifest order: float32, or float16 /
uint8-affine quantized as tfjs decodes them). Reads and writes it, with the catalog
fingerprint computed exactly as the TS side does."""
from __future__ import annotations

import json
import os

import numpy as np
import torch

from .config import param_specs, resolve_config
from .dataset import Catalog
from .errors import CatalogMismatchError, FeatureMismatchError, WeightsFormatError
from .features import FeatureTable
from .model import HafTorch

MODEL_FILE, WEIGHTS_FILE = 'model.json', 'weights.bin'
MANIFEST_FORMAT, MANIFEST_VERSION = 'hafrec-haf', 1
KNOWN = 'item.known'
QUANTIZATIONS = ('float32', 'float16')


def catalog_fingerprint(catalog: Catalog) -> dict:
    """FNV-1a 64 as two 32-bit lanes over the UTF-16 code units of "id\\tdomain\\n" per item."""
    text = ''.join(f'{i}\t{d}\n' for i, d in zip(catalog.ids, catalog.item_domains))
    a, b = 0x811C9DC5, 0xCBF29CE4
    for c in np.frombuffer(text.encode('utf-16-le'), np.uint16).tolist():
        a = ((a ^ c) * 0x01000193) & 0xFFFFFFFF
        b = ((b ^ c) * 0x0100019D) & 0xFFFFFFFF
    return {'name': catalog.name, 'size': catalog.size, 'domains': list(catalog.domains), 'idHash': f'{a:08x}{b:08x}'}


def feature_specs(config: dict, features: list[FeatureTable]) -> list[dict]:
    return [] if config['idOnly'] else [{'modality': f.modality, 'encoder': f.encoder, 'dim': f.dim} for f in features]


def check_compatible(manifest: dict, catalog: Catalog, features: list[FeatureTable]) -> None:
    here, saved = catalog_fingerprint(catalog), manifest['catalog']
    if any(saved.get(k) != here[k] for k in ('name', 'size', 'idHash', 'domains')):
        raise CatalogMismatchError(
            f'weights were trained for catalog "{saved.get("name")}" ({saved.get("size")} items, domains {"/".join(saved.get("domains", []))}, '
            f'id hash {saved.get("idHash")}); this catalog is "{here["name"]}" ({here["size"]} items, domains {"/".join(here["domains"])}, id hash {here["idHash"]})'
        )
    given = feature_specs(manifest['config'], features)
    if sorted(map(json.dumps, given)) != sorted(map(json.dumps, manifest['features'])):
        raise FeatureMismatchError(f'weights need features {manifest["features"]}; got {given} (make them with npm run embed -- --quantization fp32)')


def _decode(spec: dict, data: bytes, at: int) -> tuple[np.ndarray, int]:
    n = int(np.prod(spec['shape'])) if spec['shape'] else 1
    q = (spec.get('quantization') or {}).get('dtype')
    width = {None: 4, 'float16': 2, 'uint8': 1}.get(q)
    if spec.get('dtype') != 'float32' or width is None:
        raise WeightsFormatError(f'weight "{spec["name"]}": dtype {spec.get("dtype")} / quantization {q} is not supported (float32, float16, uint8)')
    if at + n * width > len(data):
        raise WeightsFormatError(f'weights.bin is too short: "{spec["name"]}" needs bytes {at}..{at + n * width}, the file has {len(data)}')
    if q is None:
        values = np.frombuffer(data, '<f4', n, at).copy()
    elif q == 'float16':
        values = np.frombuffer(data, '<f2', n, at).astype(np.float32)
    else:
        raw = np.frombuffer(data, np.uint8, n, at).astype(np.float32)
        values = raw * np.float32(spec['quantization']['scale']) + np.float32(spec['quantization']['min'])
    return values.reshape(spec['shape']), at + n * width


def read_weights(folder: str) -> tuple[dict, dict[str, np.ndarray]]:
    """(manifest, tensors by name) of a weights folder; typed errors for anything malformed."""
    try:
        with open(os.path.join(folder, MODEL_FILE), encoding='utf-8') as f:
            model_json = json.load(f)
        with open(os.path.join(folder, WEIGHTS_FILE), 'rb') as f:
            data = f.read()
    except (OSError, json.JSONDecodeError) as e:
        raise WeightsFormatError(f'cannot read HAF weights from {folder}: {e} (a weights folder holds {MODEL_FILE} and {WEIGHTS_FILE})') from None
    manifest = (model_json.get('userDefinedMetadata') or {}).get('hafrec')
    if not isinstance(manifest, dict) or manifest.get('format') != MANIFEST_FORMAT:
        raise WeightsFormatError(f'{folder}: not hafrec HAF weights (manifest format is not "{MANIFEST_FORMAT}")')
    if manifest.get('version') != MANIFEST_VERSION:
        raise WeightsFormatError(f'{folder}: manifest version {manifest.get("version")} is not supported: this reads version {MANIFEST_VERSION}')
    if not all(k in manifest for k in ('catalog', 'features', 'config')):
        raise WeightsFormatError(f'{folder}: manifest lacks catalog, features or config')
    manifest = {**manifest, 'config': resolve_config(manifest['config'])}
    tensors, at = {}, 0
    for spec in (s for group in model_json.get('weightsManifest', []) for s in group['weights']):
        tensors[spec['name']], at = _decode(spec, data, at)
    return manifest, tensors


def load_model(folder: str, catalog: Catalog, features: list[FeatureTable]) -> tuple[HafTorch, dict]:
    """A model with the folder's weights, checked against the catalog and features (as loadHaf)."""
    manifest, tensors = read_weights(folder)
    check_compatible(manifest, catalog, features)
    used = [] if manifest['config']['idOnly'] else [next(f for f in features if f.modality == s['modality']) for s in manifest['features']]
    if KNOWN not in tensors:
        raise WeightsFormatError(f'{folder}: weights lack "{KNOWN}"')
    known = (tensors.pop(KNOWN) > 0.5).astype(np.uint8)
    config = manifest['config']
    specs = {name: shape for name, shape, _ in param_specs(config, catalog.size, len(catalog.domains), [(f.modality, f.dim) for f in used])}
    problems = [f'missing "{n}"' for n in specs if n not in tensors]
    problems += [f'"{n}" is {"x".join(map(str, t.shape))}, expected {"x".join(map(str, specs[n]))}' for n, t in tensors.items() if n in specs and list(t.shape) != specs[n]]
    problems += [f'unexpected "{n}"' for n in tensors if n not in specs]
    if problems:
        raise WeightsFormatError(f'{folder}: weights do not fit the model config: {"; ".join(problems[:5])}')
    model = HafTorch(config, catalog.size, len(catalog.domains), used, known)
    with torch.no_grad():
        for name, p in model.named_hafrec_parameters():
            p.copy_(torch.from_numpy(tensors[name]))
    return model, manifest


def _encode(name: str, values: np.ndarray, quantization: str) -> tuple[dict, bytes]:
    spec = {'name': name, 'shape': list(values.shape), 'dtype': 'float32'}
    if quantization == 'float16':
        return {**spec, 'quantization': {'dtype': 'float16'}}, values.astype('<f2').tobytes()
    return spec, values.astype('<f4').tobytes()


def save_model(model: HafTorch, catalog: Catalog, features: list[FeatureTable], folder: str,
               quantization: str = 'float32', training: dict | None = None) -> dict:
    """Writes model.json + weights.bin that loadHaf reads; the item tables take `quantization`."""
    if quantization not in QUANTIZATIONS:
        raise WeightsFormatError(f'quantization "{quantization}" is not supported here: use {", ".join(QUANTIZATIONS)}')
    manifest = {'format': MANIFEST_FORMAT, 'version': MANIFEST_VERSION, 'config': model.config,
                'catalog': catalog_fingerprint(catalog), 'features': feature_specs(model.config, features),
                'quantization': quantization, **({'training': training} if training else {})}
    table = lambda n: n == 'item.id' or n.startswith('item.proj.')
    parts = [_encode(n, p.detach().cpu().numpy(), quantization if table(n) else 'float32') for n, p in model.named_hafrec_parameters()]
    known = model.id_known.cpu().numpy().round().astype(np.uint8)
    parts.append(({'name': KNOWN, 'shape': [catalog.size + 1], 'dtype': 'float32',
                   'quantization': {'dtype': 'uint8', 'min': 0, 'scale': 1 / 255}}, (known * 255).tobytes()))
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, WEIGHTS_FILE), 'wb') as f:
        f.write(b''.join(b for _, b in parts))
    model_json = {'modelTopology': {'hafrec': MANIFEST_FORMAT}, 'format': 'hafrec', 'generatedBy': 'hafrec_torch', 'convertedBy': None,
                  'weightsManifest': [{'paths': [WEIGHTS_FILE], 'weights': [s for s, _ in parts]}],
                  'userDefinedMetadata': {'hafrec': manifest}}
    with open(os.path.join(folder, MODEL_FILE), 'w', encoding='utf-8') as f:
        f.write(json.dumps(model_json) + '\n')
    return manifest
