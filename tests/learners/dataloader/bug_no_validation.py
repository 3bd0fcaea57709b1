# expect-fail: batch_size < 1 raises ValueError; len(X) != len(y) raises ValueError
"""No argument is checked, because the learner trusted the caller; batch_size 0 then fails only later,
with a ZeroDivisionError, and mismatched X and y silently pair the wrong samples."""
import numpy as np


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.rng = np.random.default_rng() if rng is None else rng

    def __len__(self):
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else (n + b - 1) // b

    def __iter__(self):
        n = len(self.X)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            idx = order[start:start + self.batch_size]
            yield self.X[idx], self.y[idx]
