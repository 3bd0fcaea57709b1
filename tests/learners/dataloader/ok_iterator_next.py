# expect: pass
"""An iterator class: __iter__ draws the epoch's permutation, rewinds a position and returns self; __next__ cuts the next batch and raises StopIteration at the end (or before a partial batch with drop_last); len from math.ceil / math.floor."""
import math
import numpy as np


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        X, y = np.asarray(X), np.asarray(y)
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"{X.shape[0]} samples in X, {y.shape[0]} in y")
        if batch_size < 1:
            raise ValueError("batch_size")
        self.X, self.y, self.bs = X, y, int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.rng = np.random.default_rng() if rng is None else rng
        self._order, self._pos = None, 0

    def __len__(self):
        f = math.floor if self.drop_last else math.ceil
        return f(len(self.X) / self.bs)

    def __iter__(self):
        n = len(self.X)
        self._order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        self._pos = 0
        return self

    def __next__(self):
        n = len(self.X)
        stop = self._pos + self.bs
        if self._pos >= n or (self.drop_last and stop > n):
            raise StopIteration
        idx = self._order[self._pos:stop]
        self._pos = stop
        return self.X[idx], self.y[idx]
