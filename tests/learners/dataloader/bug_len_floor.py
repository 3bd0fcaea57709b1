# expect-fail: len(loader)
# diagnosis: len rounds down
"""len(loader) is N // batch_size, because the learner remembered 'number of batches = N / batch_size'
and integer division, forgetting that the partial batch is yielded."""
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
        return len(self.X) // self.batch_size

    def __iter__(self):
        n = len(self.X)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, n, self.batch_size):
            idx = order[start:start + self.batch_size]
            if self.drop_last and len(idx) < self.batch_size:
                break
            yield self.X[idx], self.y[idx]
