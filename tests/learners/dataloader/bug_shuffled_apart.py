# expect-fail: X and y shuffled together
# diagnosis: X and y shuffled apart
"""X and y are shuffled by two rng.shuffle calls on copies, because the learner assumed that shuffling
two arrays of the same length 'the same way' happens by itself; each call draws its own permutation."""
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
        X, y = self.X.copy(), self.y.copy()
        if self.shuffle:
            self.rng.shuffle(X)
            self.rng.shuffle(y)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            yield X[start:start + self.batch_size], y[start:start + self.batch_size]
