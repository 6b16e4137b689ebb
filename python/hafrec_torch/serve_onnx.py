"""HAF's serving pass for one domain as a graph of tensors only, exportable to ONNX: the views
of src/model/batch.ts (buildBatch with identity items) in, the top-k items of the domain and
their scores out. Item vectors and the domain's item table are constants (computed once, as
HafRecommender caches them). Levels 1 and 2 are the model's own code; only the gather of each
view's last position and the domain attention are restated here, because HafTorch.user_vectors
reads numpy batches, which tracing would freeze into constants."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .config import view_name
from .model import LAYER_NORM_EPSILON, NEG, HafTorch


class ServingGraph(nn.Module):
    """forward(positions [V, N] int32, query_domain [N] int32, items_0 [B, L_0] int32, mask_0 [B, L_0], ...)
    -> (scores [N, k], items [N, k] catalog indices). A view no row has an item in must be
    given as one padding column (mask 0): ONNX Runtime runs no attention over length 0."""

    def __init__(self, model: HafTorch, table: torch.Tensor, domain_items: np.ndarray, k: int):
        super().__init__()
        self.model, self.k = model, k
        self.register_buffer('table', table)
        self.register_buffer('domain_table', table[torch.from_numpy(domain_items)].T.contiguous())  # [d, M]
        self.register_buffer('domain_items', torch.from_numpy(domain_items.astype(np.int64)))

    def _view(self, v: int, items: torch.Tensor, mask: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        m, d = self.model, self.model.config['dim']
        if v not in m.views:
            return torch.zeros_like(pos, dtype=torch.float32)[:, None].expand(-1, d)
        hidden = m.encode_view(f'enc.{view_name(m.domains, v)}', self.table[items.long()], mask).reshape(-1, d)
        # Position -1 (an empty view for this query) reads row 0 and is then zeroed, as user_vectors' padded row.
        return hidden[pos.clamp(min=0)] * (pos >= 0).float()[:, None]

    def user(self, positions: torch.Tensor, query_domain: torch.Tensor, views: tuple[torch.Tensor, ...]) -> torch.Tensor:
        m, k = self.model, self.model.domains
        pos = positions.long()
        stacked = torch.stack([self._view(v, views[2 * v], views[2 * v + 1], pos[v]) for v in range(k + 1)], 1)  # [N, V, d]
        targets = query_domain.long()
        if m.config['singleDomain']:
            return stacked.gather(1, targets[:, None, None].expand(-1, 1, stacked.shape[2]))[:, 0]
        if not m.config['domainAttention']:
            return stacked[:, k]
        view_mask = (pos >= 0).float().T  # [N, V]
        h = torch.tanh(stacked @ m.p('dom.w') + m.p('dom.b'))  # [N, V, a]
        logits = (h * m.p('dom.q')[targets][:, None]).sum(-1) + m.p('dom.bias')[targets] + (1 - view_mask) * NEG
        beta = torch.softmax(logits, 1) * view_mask
        return (beta[:, :, None] * stacked).sum(1)

    def forward(self, positions: torch.Tensor, query_domain: torch.Tensor, *views: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        scores = self.user(positions, query_domain, views) @ self.domain_table  # [N, M]
        values, at = torch.topk(scores, self.k, 1)
        return values, self.domain_items[at]


def graph_inputs(batch, domains: int) -> tuple[torch.Tensor, ...]:
    """A numpy Batch (build_batch) as ServingGraph's inputs, empty views padded to one column."""
    out = [torch.from_numpy(np.stack(batch.query_position).astype(np.int32)), torch.from_numpy(batch.query_domain.astype(np.int32))]
    for items, mask in batch.views[: domains + 1]:
        if items.shape[1] == 0:
            items, mask = np.zeros((items.shape[0], 1), np.int64), np.zeros((items.shape[0], 1), np.float32)
        out += [torch.from_numpy(items.astype(np.int32)), torch.from_numpy(mask)]
    return tuple(out)


def input_names(domains: int) -> list[str]:
    return ['positions', 'query_domain', *[f'{kind}_{v}' for v in range(domains + 1) for kind in ('items', 'mask')]]


@torch.inference_mode(False)
def export_onnx(graph: ServingGraph, example: tuple[torch.Tensor, ...], path: str) -> None:
    """Traces `graph` on `example` with every batch and view length dynamic (opset 14: aten::tril needs it)."""
    names = input_names(graph.model.domains)
    axes = {'positions': {1: 'queries'}, 'query_domain': {0: 'queries'}, 'scores': {0: 'queries'}, 'items': {0: 'queries'}}
    axes.update({n: {0: 'rows', 1: f'length_{n.split("_")[1]}'} for n in names[2:]})
    graph.eval()
    model = graph.model
    # HafTorch._norm passes x.shape[-1:] as layer_norm's shape; traced, that is a tensor, which
    # the exporter refuses. The width is always the model's d: give it as a constant while tracing.
    d = model.config['dim']
    model._norm = lambda x, name: F.layer_norm(x, (d,), model.p(f'{name}.g'), model.p(f'{name}.b'), LAYER_NORM_EPSILON)
    try:
        with torch.no_grad():
            torch.onnx.export(graph, example, path, input_names=names, output_names=['scores', 'items'], dynamic_axes=axes, opset_version=14)
    finally:
        del model._norm
