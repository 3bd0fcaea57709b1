# expect-fail: epochs differ; positions uniform over epochs
# diagnosis: one permutation for every epoch
"""The permutation is drawn once in __init__ and kept, because the learner thinks of shuffling as part of
preparing the data, so every epoch sees the same order."""
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
        self.order = self.rng.permutation(len(X)) if shuffle else np.arange(len(X))

    def __len__(self):
        n, b = len(self.X), self.batch_size
        return n // b if self.drop_last else (n + b - 1) // b

    def __iter__(self):
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            idx = self.order[start:start + self.batch_size]
            yield self.X[idx], self.y[idx]
