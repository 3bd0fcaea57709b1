# expect-fail: global np.random untouched; same seed, same epochs
# diagnosis: order drawn from the global np.random
"""The order comes from np.random.permutation, because that is what most tutorials call, so the rng
argument is ignored and the caller's global stream is advanced."""
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
        n = len(self.X)
        order = np.random.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            idx = order[start:start + self.batch_size]
            yield self.X[idx], self.y[idx]
