# expect: pass
"""Naive loops: a separate iterator class walks a shuffled Python list of indices and stacks each batch
row by row, because the learner thinks in terms of "pick the next sample" rather than in index arrays."""
import numpy as np


class _Epoch:
    def __init__(self, loader, order):
        self.loader, self.order, self.position = loader, order, 0

    def __iter__(self):
        return self

    def __next__(self):
        loader = self.loader
        remaining = len(self.order) - self.position
        if remaining <= 0 or (loader.drop_last and remaining < loader.batch_size):
            raise StopIteration
        xs, ys = [], []
        for _ in range(min(loader.batch_size, remaining)):
            i = self.order[self.position]
            xs.append(loader.X[i])
            ys.append(loader.y[i])
            self.position += 1
        return np.array(xs), np.array(ys)


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        if len(X) != len(y):
            raise ValueError("X and y differ in length")
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        if rng is None:
            rng = np.random.default_rng()
        self.rng = rng

    def __len__(self):
        count = 0
        start = 0
        while start < len(self.X):
            if len(self.X) - start >= self.batch_size or not self.drop_last:
                count += 1
            start += self.batch_size
        return count

    def __iter__(self):
        order = list(range(len(self.X)))
        if self.shuffle:
            self.rng.shuffle(order)
        return _Epoch(self, order)
