"""The largest value per owner (an article) of values listed owner by owner (its passages, its
title and tag groups), in one ``np.maximum.reduceat`` instead of an unbuffered ``np.maximum.at``.

The result is the same as ``out = zeros; np.maximum.at(out, owners, values)``: a maximum is exact
whatever the order, and an owner without values keeps 0. Values must not be NaN; owners listed
out of order fall back to ``np.maximum.at``.
"""

from __future__ import annotations

import numpy as np


class Segments:
    """Owners (``owners[i]`` owns value ``i``; ``count`` owners in all) and where each one's run starts."""

    def __init__(self, owners: np.ndarray, count: int):
        self._owners = np.asarray(owners, dtype=np.int64)
        self._count = count
        self._sorted = bool(np.all(self._owners[1:] >= self._owners[:-1]))
        runs = np.flatnonzero(np.r_[True, self._owners[1:] != self._owners[:-1]]) if len(self._owners) else []
        self._starts = np.asarray(runs, dtype=np.int64)
        self._present = self._owners[self._starts] if len(self._owners) else self._starts

    def max(self, values: np.ndarray) -> np.ndarray:
        """Per owner, the largest of its values and 0 (float32)."""
        out = np.zeros(self._count, dtype=np.float32)
        if not len(self._owners):
            return out
        if not self._sorted:
            np.maximum.at(out, self._owners, values)
            return out
        out[self._present] = np.maximum(np.maximum.reduceat(values, self._starts), out[self._present])
        return out
