"""The hierarchical attention fusion model of src/model in PyTorch: item tower with modality
attention (Level 1, item-tower.ts), one causal pre-LN transformer per view (Level 2,
encoder.ts), domain attention (Level 3, domain-attention.ts), dot-product scores. Parameters
carry the TypeScript names and shapes (weights [in, out], x @ W), so weights move between
the two unchanged."""
from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .batching import Batch
from .config import active_views, param_specs, view_name
from .rng import Rng

NEG = -1e9
LAYER_NORM_EPSILON = 1e-6


def _initial(shape: list[int], init: str, rng: Rng) -> torch.Tensor:
    if init == 'zeros':
        return torch.zeros(shape)
    if init == 'ones':
        return torch.ones(shape)
    std = math.sqrt(2 / (shape[0] + shape[1])) if init == 'glorot' else math.sqrt(1 / shape[-1]) if init == 'query' else 0.05
    n = int(np.prod(shape))
    return torch.from_numpy((rng.normals(n) * std).astype(np.float32).reshape(shape))


class HafTorch(nn.Module):
    """Params are registered under their hafrec names with '.' written as '__'."""

    def __init__(self, config: dict, items: int, domains: int, content: list, id_known: np.ndarray, seed: int = 42):
        super().__init__()
        self.config, self.items, self.domains = config, items, domains
        used = [] if config['idOnly'] else content
        self.modalities = [(f.modality, f.dim) for f in used]
        self.views = active_views(config, domains)
        self.names = []
        rng = Rng(seed)
        for name, shape, init in param_specs(config, items, domains, self.modalities):
            self.register_parameter(name.replace('.', '__'), nn.Parameter(_initial(shape, init, rng)))
            self.names.append(name)
        for k, f in enumerate(used):
            self.register_buffer(f'content{k}', torch.from_numpy(f.vectors))
            self.register_buffer(f'present{k}', torch.from_numpy(f.present.astype(np.float32)))
        self.register_buffer('id_known', torch.from_numpy(id_known.astype(np.float32)))

    def p(self, name: str) -> torch.Tensor:
        return getattr(self, name.replace('.', '__'))

    def named_hafrec_parameters(self) -> list[tuple[str, torch.Tensor]]:
        return [(n, self.p(n)) for n in self.names]

    def item_vectors(self, items: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Level 1 for catalog indices [M]: vectors [M, d] and alpha [M, 1 + modalities]."""
        e_id = self.p('item.id')[items]  # [M, d]
        if not self.modalities:
            return e_id, None
        parts = [e_id]
        masks = []
        for k, (name, _) in enumerate(self.modalities):
            f = getattr(self, f'content{k}')[items]  # [M, e], frozen
            parts.append(f @ self.p(f'item.proj.{name}.w') + self.p(f'item.proj.{name}.b'))
            masks.append(getattr(self, f'present{k}')[items])
        content_any = torch.clamp(sum(masks), max=1)  # [M]
        # An ID row counts when it was trained, or when nothing else describes the item.
        id_mask = torch.maximum(self.id_known[items], 1 - content_any)
        mask = torch.stack([id_mask, *masks], 1)  # [M, P]
        if self.config['modalityAttention']:
            w, b, q = self.p('item.att.w'), self.p('item.att.b'), self.p('item.att.q')
            scores = torch.stack([torch.tanh(e @ w + b) @ q for e in parts], 1)  # [M, P]
            alpha = torch.softmax(scores + (1 - mask) * NEG, 1)
        else:
            alpha = mask / mask.sum(1, keepdim=True)
        vectors = sum(alpha[:, k : k + 1] * e for k, e in enumerate(parts))  # [M, d]
        scale = self.config['newItemScale']
        if scale != 1:
            # Items the weights have no trained row for, described by content alone.
            content_only = (1 - self.id_known[items]) * content_any  # [M]
            vectors = vectors * (1 + content_only * (scale - 1)).unsqueeze(1)
        return vectors, alpha

    def _norm(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.layer_norm(x, x.shape[-1:], self.p(f'{name}.g'), self.p(f'{name}.b'), LAYER_NORM_EPSILON)

    def _attention(self, p: str, n: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, d = n.shape
        h = self.config['heads']
        dh = d // h

        def split(y: torch.Tensor) -> torch.Tensor:  # [B, T, d] -> [B, H, T, dh]
            return y.reshape(b, t, h, dh).transpose(1, 2)

        q, k, v = (split(n @ self.p(f'{p}.{w}')) for w in ('wq', 'wk', 'wv'))
        scores = q @ k.transpose(-1, -2) * (1 / math.sqrt(dh)) + bias[:, None]  # [B, H, T, T]
        probs = torch.softmax(scores, -1)
        ctx = F.dropout(probs, self.config['dropout'], self.training) @ v  # [B, H, T, dh]
        return ctx.transpose(1, 2).reshape(b, t, d) @ self.p(f'{p}.wo')

    def encode_view(self, prefix: str, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Level 2: x [B, T, d], mask [B, T] -> hidden [B, T, d]."""
        t = x.shape[1]
        rate, training = self.config['dropout'], self.training
        mask3 = mask[:, :, None]  # [B, T, 1]
        h = F.dropout(x + self.p(f'{prefix}.pos')[:t], rate, training) * mask3
        causal = torch.tril(torch.ones(t, t, device=x.device))
        bias = (1 - causal * mask[:, None, :]) * NEG  # [B, T, T]
        for i in range(self.config['blocks']):
            p = f'{prefix}.b{i}'
            h = h + F.dropout(self._attention(p, self._norm(h, f'{p}.ln1'), bias), rate, training)
            f1 = torch.relu(self._norm(h, f'{p}.ln2') @ self.p(f'{p}.ff1.w') + self.p(f'{p}.ff1.b'))
            f2 = F.dropout(f1, rate, training) @ self.p(f'{p}.ff2.w') + self.p(f'{p}.ff2.b')
            h = (h + F.dropout(f2, rate, training)) * mask3
        return self._norm(h, f'{prefix}.lnf')

    def user_vectors(self, batch: Batch, table: torch.Tensor, lookup: torch.Tensor) -> torch.Tensor:
        """Levels 2 and 3: [N, d] for every query. `table` [U, d] holds the item vectors of
        the catalog indices whose rows `lookup` [size + 1] gives."""
        d, k, dev = self.config['dim'], self.domains, table.device
        n = len(batch.query_domain)
        per_view = []
        for v in range(k + 1):
            items, mask = batch.views[v]
            pos = torch.from_numpy(batch.query_position[v]).to(dev)
            if v not in self.views or items.shape[1] == 0:
                per_view.append(torch.zeros(n, d, device=dev))
                continue
            x = table[lookup[torch.from_numpy(items).to(dev)]]  # [B, L, d]
            hidden = self.encode_view(f'enc.{view_name(k, v)}', x, torch.from_numpy(mask).to(dev)).reshape(-1, d)
            padded = torch.cat([hidden, torch.zeros(1, d, device=dev)])  # last row: empty view
            per_view.append(padded[torch.where(pos >= 0, pos, len(hidden))])
        stacked = torch.stack(per_view, 1)  # [N, V, d]
        targets = torch.from_numpy(batch.query_domain).to(dev)
        if self.config['singleDomain']:
            return stacked[torch.arange(n, device=dev), targets]
        if not self.config['domainAttention']:
            return stacked[:, k]
        view_mask = torch.from_numpy(np.stack([q >= 0 for q in batch.query_position], 1).astype(np.float32)).to(dev)  # [N, V]
        h = torch.tanh(stacked @ self.p('dom.w') + self.p('dom.b'))  # [N, V, a]
        logits = (h * self.p('dom.q')[targets][:, None]).sum(-1) + self.p('dom.bias')[targets] + (1 - view_mask) * NEG
        beta = torch.softmax(logits, 1) * view_mask  # all-masked rows become 0
        return (beta[:, :, None] * stacked).sum(1)
