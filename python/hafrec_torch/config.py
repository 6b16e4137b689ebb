"""The model config of src/model/config.ts (same keys, defaults and checks)."""
from __future__ import annotations

from .errors import UsageError

DEFAULT_CONFIG = {
    'dim': 64,
    'blocks': 2,
    'heads': 1,
    'maxLength': 50,
    'dropout': 0.3,
    'modalityAttention': True,
    'domainAttention': True,
    'idOnly': False,
    'singleDomain': False,
    'attentionDim': 32,
    'newItemScale': 1,
}


def resolve_config(partial: dict | None = None) -> dict:
    c = {**DEFAULT_CONFIG, **(partial or {})}
    unknown = set(c) - set(DEFAULT_CONFIG)
    if unknown:
        raise UsageError(f'unknown config keys {sorted(unknown)}: valid keys are {sorted(DEFAULT_CONFIG)}')
    for key in ('dim', 'blocks', 'heads', 'maxLength', 'attentionDim'):
        if not isinstance(c[key], int) or isinstance(c[key], bool) or c[key] < 1:
            raise UsageError(f'config.{key} = {c[key]!r} is invalid: use a positive integer')
    if c['dim'] % c['heads'] != 0:
        raise UsageError(f'config.dim = {c["dim"]} is not divisible by config.heads = {c["heads"]}')
    if not 0 <= c['dropout'] < 1:
        raise UsageError(f'config.dropout = {c["dropout"]} is invalid: use a number in [0, 1)')
    scale = c['newItemScale']
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not 0 < scale < float('inf'):
        raise UsageError(f'config.newItemScale = {scale!r} is invalid: use a positive number (1 = as trained)')
    return c


def active_views(config: dict, domains: int) -> list[int]:
    """View numbers the config encodes: 0..K-1 the domains, K the mixed history."""
    if config['singleDomain']:
        return list(range(domains))
    if not config['domainAttention']:
        return [domains]
    return list(range(domains + 1))


def view_name(domains: int, v: int) -> str:
    return 'mixed' if v == domains else f'd{v}'


def param_specs(config: dict, items: int, domains: int, modalities: list[tuple[str, int]]) -> list[tuple[str, list[int], str]]:
    """(name, shape, init) of every parameter, sorted by name, as paramSpecs in params.ts."""
    d, a = config['dim'], config['attentionDim']
    specs = [('item.id', [items + 1, d], 'normal')]
    if not config['idOnly']:
        for name, dim in modalities:
            specs += [(f'item.proj.{name}.w', [dim, d], 'glorot'), (f'item.proj.{name}.b', [d], 'zeros')]
        if config['modalityAttention'] and modalities:
            specs += [('item.att.w', [d, a], 'glorot'), ('item.att.b', [a], 'zeros'), ('item.att.q', [a], 'query')]
    for v in active_views(config, domains):
        prefix = f'enc.{view_name(domains, v)}'
        specs.append((f'{prefix}.pos', [config['maxLength'], d], 'normal'))
        for b in range(config['blocks']):
            p = f'{prefix}.b{b}'
            for ln in ('ln1', 'ln2'):
                specs += [(f'{p}.{ln}.g', [d], 'ones'), (f'{p}.{ln}.b', [d], 'zeros')]
            specs += [(f'{p}.{w}', [d, d], 'glorot') for w in ('wq', 'wk', 'wv', 'wo', 'ff1.w', 'ff2.w')]
            specs += [(f'{p}.ff1.b', [d], 'zeros'), (f'{p}.ff2.b', [d], 'zeros')]
        specs += [(f'{prefix}.lnf.g', [d], 'ones'), (f'{prefix}.lnf.b', [d], 'zeros')]
    if config['domainAttention'] and not config['singleDomain']:
        specs += [('dom.w', [d, a], 'glorot'), ('dom.b', [a], 'zeros'), ('dom.q', [domains, a], 'query'),
                  ('dom.bias', [domains, domains + 1], 'zeros')]
    return sorted(specs, key=lambda s: s[0])
