# expect-fail: batches are (X_batch, y_batch) arrays
"""Batches built as Python lists of rows, [X[i] for i in idx], as a loop over indices makes them: the stated batches are arrays, X[idx] and y[idx]."""
import numpy as np


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if len(X) != len(y):
            raise ValueError("X and y differ in length")
        self.X, self.y = X, y
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.rng = rng if rng is not None else np.random.default_rng()

    def __len__(self):
        n = len(self.X)
        if self.drop_last:
            return n // self.batch_size
        return (n + self.batch_size - 1) // self.batch_size

    def __iter__(self):
        idx = np.arange(len(self.X))
        if self.shuffle:
            self.rng.shuffle(idx)
        for b in range(len(self)):
            sel = idx[b * self.batch_size:(b + 1) * self.batch_size]
            yield [self.X[i] for i in sel], [self.y[i] for i in sel]
