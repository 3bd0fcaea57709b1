# expect: pass
"""PyTorch's structure rebuilt: a sequential or random sampler (rng.choice(N, N, replace=False), as uniform as a permutation) yielding Python ints, a batch sampler grouping them into lists, and the loader indexing X and y with each list."""
import numpy as np


class SequentialSampler:
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter(range(self.n))


class RandomSampler:
    def __init__(self, n, rng):
        self.n, self.rng = n, rng

    def __iter__(self):
        yield from self.rng.choice(self.n, size=self.n, replace=False).tolist()


class BatchSampler:
    def __init__(self, sampler, batch_size, drop_last):
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        batch = []
        for i in self.sampler:
            batch.append(i)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch


class DataLoader:
    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        if not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError("batch_size should be a positive integer")
        if len(X) != len(y):
            raise ValueError("size mismatch between tensors")
        self.X, self.y = X, y
        rng = rng if rng is not None else np.random.default_rng()
        sampler = RandomSampler(len(X), rng) if shuffle else SequentialSampler(len(X))
        self.batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.batch_size, self.drop_last = batch_size, drop_last

    def __len__(self):
        if self.drop_last:
            return len(self.X) // self.batch_size
        return -(-len(self.X) // self.batch_size)

    def __iter__(self):
        for indices in self.batch_sampler:
            yield self.X[indices], self.y[indices]
