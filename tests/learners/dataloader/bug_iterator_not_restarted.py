# expect-fail: shuffle=False keeps the order; every sample once per epoch
# diagnosis: iterator not restarted
"""An iterator class whose __iter__ returns self without rewinding (the permutation drawn once, the position never reset): the first epoch is right, every later one empty."""
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
        if self._order is None:
            n = len(self.X)
            self._order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        return self

    def __next__(self):
        n = len(self.X)
        stop = self._pos + self.bs
        if self._pos >= n or (self.drop_last and stop > n):
            raise StopIteration
        idx = self._order[self._pos:stop]
        self._pos = stop
        return self.X[idx], self.y[idx]
