# expect: pass
"""Sorts random keys to get the order (argsort of uniform draws is a uniform permutation) and builds the
epoch's batches as a list up front, because the learner knows the "random keys" trick from SQL's ORDER BY
RANDOM() and prefers math.ceil for the length."""
import math

import numpy as np


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        if not batch_size >= 1:
            raise ValueError(f"bad batch_size {batch_size}")
        if X.shape[0] != y.shape[0]:
            raise ValueError("X and y must have the same number of samples")
        self.X, self.y, self.batch_size = X, y, batch_size
        self.shuffle, self.drop_last = shuffle, drop_last
        self.rng = rng if rng is not None else np.random.default_rng()

    def __len__(self):
        n = self.X.shape[0]
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = self.X.shape[0]
        order = np.argsort(self.rng.random(n), kind="stable") if self.shuffle else np.arange(n)
        batches = [order[i * self.batch_size:(i + 1) * self.batch_size] for i in range(len(self))]
        return iter([(self.X[b], self.y[b]) for b in batches])
