"""Histories to the index arrays of one forward pass, as src/model/batch.ts (buildBatch),
training-run.ts (planBatches), train-step.ts (sampleNegatives) and loss.ts (candidatesFor) build them. Views:
0..K-1 each domain's own items, K the mixed history; histories are left-aligned."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .rng import Rng, shuffle


@dataclass(frozen=True)
class Batch:
    rows: int
    views: list[tuple[np.ndarray, np.ndarray]]  # per view: items [B, L] catalog indices, mask [B, L]
    query_domain: np.ndarray  # [N]
    query_position: list[np.ndarray]  # per view [N] flat position b * L + p, -1 = empty view
    query_target: np.ndarray  # [N], 0 for recommendation queries
    items: np.ndarray  # distinct catalog indices touched (0, history, targets, extra), for weight decay


def _cut(history: np.ndarray, max_length: int, recommend: bool) -> tuple[np.ndarray, np.ndarray]:
    if recommend:
        return history[max(0, len(history) - max_length) :], history[:0]
    s = history[max(0, len(history) - max_length - 1) :]
    return s[: max(0, len(s) - 1)], s[1:]


def build_batch(histories: list[np.ndarray], domain_of: np.ndarray, domains: int, max_length: int,
                recommend_domains: list[int] | None = None, require_own_view: bool = False,
                extra_items: np.ndarray | None = None) -> Batch:
    """Training (recommend_domains None): every position with a next item is a query.
    Recommendation: one query per history, at its last position, for the given domain."""
    k = domains
    cuts = [_cut(h, max_length, recommend_domains is not None) for h in histories]
    doms = [domain_of[inp] for inp, _ in cuts]
    lengths = [max([int((d == v).sum()) if v < k else len(d) for d in doms], default=0) for v in range(k + 1)]
    b_rows = len(histories)
    views = [(np.zeros((b_rows, n), np.int64), np.zeros((b_rows, n), np.float32)) for n in lengths]
    q_dom: list[int] = []
    q_target: list[int] = []
    q_pos: list[list[int]] = [[] for _ in range(k + 1)]
    for b, ((inp, nxt), d_of) in enumerate(zip(cuts, doms)):
        filled = [0] * (k + 1)
        for p in range(len(inp)):
            for v in (int(d_of[p]), k):
                views[v][0][b, filled[v]] = inp[p]
                views[v][1][b, filled[v]] = 1
                filled[v] += 1
            if recommend_domains is not None and p != len(inp) - 1:
                continue
            target = 0 if recommend_domains is not None else int(nxt[p])
            domain = recommend_domains[b] if recommend_domains is not None else int(domain_of[target])
            if require_own_view and filled[domain] == 0:
                continue
            q_dom.append(domain)
            q_target.append(target)
            for v in range(k + 1):
                q_pos[v].append(-1 if filled[v] == 0 else b * lengths[v] + filled[v] - 1)
        if recommend_domains is not None and len(inp) == 0:
            q_dom.append(recommend_domains[b])
            q_target.append(0)
            for v in range(k + 1):
                q_pos[v].append(-1)
    touched = [np.zeros(1, np.int64), *(inp for inp, _ in cuts), np.array(q_target, np.int64)]
    if extra_items is not None:
        touched.append(extra_items)
    return Batch(b_rows, views, np.array(q_dom, np.int64), [np.array(q, np.int64) for q in q_pos],
                 np.array(q_target, np.int64), np.unique(np.concatenate(touched)))


def plan_batches(train: list[np.ndarray], max_length: int, positions: int, rng: Rng) -> list[list[np.ndarray]]:
    """Length-bucketed batches of about `positions` queries, in a seeded order (planBatches)."""
    order = shuffle([s for s in train if len(s) >= 2], rng)
    batches: list[list[np.ndarray]] = []
    chunk = positions * 64
    start = 0
    while start < len(order):
        end, count = start, 0
        while end < len(order) and count < chunk:
            count += min(len(order[end]) - 1, max_length)
            end += 1
        group = sorted(order[start:end], key=len)
        current: list[np.ndarray] = []
        used = 0
        for s in group:
            current.append(s)
            used += min(len(s) - 1, max_length)
            if used >= positions:
                batches.append(current)
                current, used = [], 0
        if current:
            batches.append(current)
        start = end
    return shuffle(batches, rng)


def sample_negatives(domain_items: list[np.ndarray], count: int | str, rng: Rng) -> list[np.ndarray]:
    """Uniform negatives per domain, shared by the batch (or the whole domain for 'full')."""
    out = []
    for items in domain_items:
        if count == 'full' or count >= len(items):
            out.append(items)
        else:
            out.append(np.array([items[rng.int(len(items))] for _ in range(count)], np.int64))
    return out


def candidates_for(targets: np.ndarray, query_domain: np.ndarray, domains: int, negatives: list[np.ndarray],
                   pool: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per target domain: (query rows, candidate catalog indices, label column per row). The
    candidates are the distinct targets of that domain's queries, then the negatives. With
    `pool` (targets, domains of a whole global batch, when each process holds a slice of it),
    the candidates are the pool's targets: every process ranks against the same candidates."""
    pool_targets, pool_domains = pool if pool is not None else (targets, query_domain)
    out = []
    for t in range(domains):
        rows = np.nonzero(query_domain == t)[0]
        merged = np.concatenate([pool_targets[pool_domains == t], negatives[t]])
        candidates, first = np.unique(merged, return_index=True)
        candidates = candidates[np.argsort(first)]
        column = {int(c): i for i, c in enumerate(candidates)}
        labels = np.array([column[int(x)] for x in targets[rows]], np.int64)
        out.append((rows, candidates.astype(np.int64), labels))
    return out
