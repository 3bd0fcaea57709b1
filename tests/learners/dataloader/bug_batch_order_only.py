# expect-fail: positions uniform over epochs
# diagnosis: batches shuffled, not samples
"""The batches are cut once in order and only their order is shuffled, because the learner read that
'the batches are shuffled each epoch' and took it literally."""
import numpy as np


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if len(X) != len(y):
            raise ValueError("X and y must have the same length")
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.rng = np.random.default_rng() if rng is None else rng

    def __len__(self):
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else (n + b - 1) // b

    def __iter__(self):
        starts = np.arange(0, len(self) * self.batch_size, self.batch_size)
        if self.shuffle:
            starts = self.rng.permutation(starts)
        for start in starts:
            yield self.X[start:start + self.batch_size], self.y[start:start + self.batch_size]
