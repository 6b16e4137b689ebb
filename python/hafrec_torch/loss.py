"""Next-item loss of src/model/loss.ts: per query, softmax cross-entropy over candidates of
the target's domain only (its domain's batch targets and the shared negatives, or the whole
domain), summed; the caller divides by the number of queries. Plus the L2 term on the ID
rows the batch touched."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from .batching import Batch
from .model import HafTorch


def _lookup(catalog_indices: np.ndarray, size: int, device: torch.device) -> torch.Tensor:
    """[size + 1] row of each catalog index in `catalog_indices` (sorted, distinct)."""
    lookup = np.zeros(size + 1, np.int64)
    lookup[catalog_indices] = np.arange(len(catalog_indices))
    return torch.from_numpy(lookup).to(device)


def cross_entropy_sum(model: HafTorch, batch: Batch, groups: list) -> torch.Tensor:
    """Sum over the batch's queries of -log softmax(u . v_candidates)[target]."""
    dev = model.p('item.id').device
    needed = np.unique(np.concatenate([np.zeros(1, np.int64), *(v[0].ravel() for v in batch.views), *(g[1] for g in groups)]))
    vectors, _ = model.item_vectors(torch.from_numpy(needed).to(dev))  # [U, d]
    lookup = _lookup(needed, model.items, dev)
    user = model.user_vectors(batch, vectors, lookup)  # [N, d]
    total = user.sum() * 0  # keeps the graph connected when a slice has no queries
    for rows, candidates, labels in groups:
        if len(rows) == 0:
            continue
        u = user[torch.from_numpy(rows).to(dev)]  # [n, d]
        v = vectors[lookup[torch.from_numpy(candidates).to(dev)]]  # [C, d]
        total = total + F.cross_entropy(u @ v.T, torch.from_numpy(labels).to(dev), reduction='sum')
    return total


def weight_decay_term(model: HafTorch, batch: Batch, weight_decay: float) -> torch.Tensor:
    """weight_decay * mean over the batch's distinct items of |E[i]|^2 summed over d."""
    rows = model.p('item.id')[torch.from_numpy(batch.items).to(model.p('item.id').device)]
    return rows.square().sum() * (weight_decay / len(batch.items))
