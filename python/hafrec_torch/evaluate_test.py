"""Protocol details of evaluate.py: tie rule, NDCG, the bootstrap interval."""
from __future__ import annotations

import numpy as np

from .evaluate import bootstrap_interval, metrics_from_ranks, rank_against


def test_ties_count_against_the_model():
    assert rank_against(1.0, np.array([1.0, 0.5, 2.0])) == 3
    assert rank_against(float('nan'), np.zeros(999)) == 1000


def test_metrics_of_known_ranks():
    m = metrics_from_ranks(np.array([1, 3, 11]))
    assert m['HR@10'] == 2 / 3 and m['n'] == 3
    assert abs(m['NDCG@10'] - (1 + 1 / np.log2(4)) / 3) < 1e-12
    assert abs(m['MRR'] - (1 + 1 / 3 + 1 / 11) / 3) < 1e-12


def test_bootstrap_interval_brackets_the_mean_and_shrinks_to_a_constant():
    values = np.random.default_rng(0).random(500)
    low, high = bootstrap_interval(values)
    assert low < values.mean() < high and high - low < 0.12
    assert bootstrap_interval(np.full(50, 0.25)) == (0.25, 0.25)
