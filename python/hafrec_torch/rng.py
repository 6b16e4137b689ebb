"""mulberry32, exactly as src/model/rng.ts: the same seed gives the same batch plan and
sampled negatives as the TypeScript trainer's first draws."""
from __future__ import annotations

import numpy as np

M32 = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    return (a * b) & M32


class Rng:
    def __init__(self, seed: int):
        self.a = (seed & M32) or 0x9E3779B9

    def next(self) -> float:
        self.a = (self.a + 0x6D2B79F5) & M32
        t = self.a
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & M32
        return ((t ^ (t >> 14)) & M32) / 4294967296

    def int(self, n: int) -> int:
        return int(self.next() * n)

    def uniforms(self, n: int) -> np.ndarray:
        """The next n next() values at once (the state only ever adds a constant)."""
        a = (self.a + 0x6D2B79F5 * np.arange(1, n + 1, dtype=np.uint64)) & M32
        self.a = int(a[-1]) if n else self.a
        t = ((a ^ (a >> 15)) * (a | 1)) & M32
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & M32)) & M32
        return ((t ^ (t >> 14)) & M32).astype(np.float64) / 4294967296

    def normals(self, n: int) -> np.ndarray:
        """n draws of normal() (Box-Muller, one pair of next() each), as float64."""
        u = self.uniforms(2 * n).reshape(n, 2)
        return np.sqrt(-2 * np.log(np.maximum(u[:, 0], 1e-12))) * np.cos(2 * np.pi * u[:, 1])

    def seed(self) -> int:
        return int(self.next() * 0x7FFFFFFF)


def shuffle(items: list, rng: Rng) -> list:
    """Fisher-Yates in place, the same draws as shuffle() in rng.ts."""
    for i in range(len(items) - 1, 0, -1):
        j = rng.int(i + 1)
        items[i], items[j] = items[j], items[i]
    return items
