# expect: pass
"""Keeps private copies of X and y and permutes both copies with one permutation at each epoch, then
slices, because the learner remembers "shuffle the dataset, then slice it" from a CS231n solver."""
import numpy as np


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        if batch_size <= 0:
            raise ValueError("batch_size must be >= 1")
        if len(X) != len(y):
            raise ValueError("length mismatch")
        self.X, self.y = X.copy(), y.copy()
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        self.rng = np.random.default_rng() if rng is None else rng

    def __len__(self):
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self):
        if self.shuffle:
            perm = self.rng.permutation(len(self.X))
            self.X, self.y = self.X[perm], self.y[perm]
        for i in range(len(self)):
            s = slice(i * self.batch_size, (i + 1) * self.batch_size)
            yield self.X[s].copy(), self.y[s].copy()
