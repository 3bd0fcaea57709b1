"""Reference solution for the dataloader kata: minibatches of (X, y), reshuffled every epoch.

The whole idea is where the permutation is drawn: once per call of
__iter__ (one epoch), from the generator kept at construction, so that
each epoch has an order of its own while one seed still fixes them all.
The same index array then cuts X and y, which keeps every sample with
its label.
"""

import numpy as np


class DataLoader:
    """Minibatches over arrays, as PyTorch's DataLoader over a dataset of
    pairs (X[i], y[i]) with its default collation.

        loader = DataLoader(X, y, batch_size=32, shuffle=True, rng=rng)
        for epoch in range(num_epochs):
            for X_batch, y_batch in loader:   # one epoch per iteration
                ...

    Each `for` over the loader (each call of iter(loader)) is one epoch:
    - shuffle=True: a fresh permutation of the N samples, drawn from rng at
      the start of that epoch (rng.permutation(N), or any other uniform
      random permutation), so that every order is equally likely and
      consecutive epochs differ; shuffle=False: the original order
      0, 1, ..., N-1 every epoch.
    - The samples, in that order, are cut into consecutive batches of
      batch_size; the last batch holds the remaining N % batch_size samples
      when that is not 0 (a partial batch), unless drop_last=True, which
      drops it. So every sample appears exactly once per epoch (with
      drop_last, the N % batch_size samples that fall into the last partial
      batch are left out of that epoch, and only they).
    - Each batch is a tuple (X_batch, y_batch): X_batch = X[idx] of shape
      (B, *X.shape[1:]) and y_batch = y[idx] of shape (B, *y.shape[1:]),
      with idx the batch's indices into the original arrays: the same idx
      for X and y, so that each sample keeps its label.

    len(loader) is the number of batches of an epoch: ceil(N / batch_size),
    or floor(N / batch_size) with drop_last (0 when batch_size > N then).

    Randomness comes only from rng, a numpy.random.Generator, kept by the
    loader and drawn from at each epoch; rng=None means a fresh
    np.random.default_rng(). The global np.random state is neither used
    nor changed. The same seed gives the same sequence of epochs.

    Do not modify X or y.

    Inputs:
    - X: Data, an array of shape (N, d_1, ..., d_k) (k >= 0)
    - y: Labels, an array of shape (N,) (or (N, ...))
    - batch_size: Samples per batch, an int >= 1
    - shuffle: Whether each epoch draws a fresh random order
    - drop_last: Whether to drop the last batch when it is partial
    - rng: A numpy.random.Generator, or None

    Raises ValueError: batch_size < 1; len(X) != len(y).

    What is graded: each batch is a pair of arrays of the shapes above (X of
    2 and 4 dimensions); len(loader) for N divisible by batch_size or not,
    batch_size larger than N, with and without drop_last; the batches an
    epoch yields (as many as len says: full ones, then the partial one
    unless drop_last); shuffle=False giving X and y in their original order,
    batch after batch; every sample exactly once per shuffled epoch (with
    drop_last: N - N % batch_size distinct samples); X_batch and y_batch
    cut with the same indices; the permutation uniform: over 1000 epochs
    of 8 samples (batch_size 3), how often each sample lands at each of the
    8 positions must lie within exact binomial bounds of 1000/8 = 125 (a
    correct answer fails this with probability below 1e-8); epochs differ (5
    epochs of 40 samples pairwise different); the same seed giving the
    same epochs, seeds 11 and 12 other epochs, and two loaders with
    rng=None other epochs (a correct answer fails these with probability
    below 1e-40); the global np.random untouched, with an rng given and
    with rng=None; X and y not modified; ValueError for batch_size 0 or -1
    and for len(X) != len(y). The batches are the data itself, nothing
    computed, so the agreement rule of the other katas (1e-6 relative, 1e-10
    * s absolute) is not needed: they must equal X[idx] and y[idx] exactly.
    All in all a correct answer
    fails a grading run with probability below 1e-8. Speed is shown beside
    the score but never counted in it.
    """

    def __init__(self, X, y, batch_size, shuffle=True, drop_last=False, rng=None):
        """Keep the arrays, the options and the generator; check the arguments.

        Raises ValueError when batch_size < 1 or len(X) != len(y).
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if len(X) != len(y):
            raise ValueError(f"X and y must hold as many samples: {len(X)} != {len(y)}")
        self.X, self.y = X, y
        self.batch_size, self.shuffle, self.drop_last = batch_size, shuffle, drop_last
        # Kept, not re-created per epoch: each epoch draws the next permutation from the same stream.
        self.rng = np.random.default_rng() if rng is None else rng

    def __len__(self):
        """The number of batches of one epoch: ceil(N / batch_size), or
        floor(N / batch_size) with drop_last."""
        full, rest = divmod(len(self.X), self.batch_size)
        return full + (1 if rest and not self.drop_last else 0)

    def __iter__(self):
        """One epoch: yield (X_batch, y_batch) tuples, len(self) of them, in
        a fresh random order when shuffle (drawn from rng now), else in the
        original order."""
        n = len(self.X)
        order = self.rng.permutation(n) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            idx = order[start:start + self.batch_size]  # the same indices cut X and y
            yield self.X[idx], self.y[idx]
