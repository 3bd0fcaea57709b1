"""Callables the grader hands to learner functions as arguments (beam_search's step function).

A request's arguments cross to the learner's process by pickle, and a function
pickles as a reference to its module: these classes live here, imported in the
learner's process before any learner code runs (launcher._load_sandbox), so
that the child can rebuild them after its disk is gone.
"""
from __future__ import annotations

import numpy as np


def _tokens(prefix) -> tuple[int, ...]:
    """The prefix as a tuple of ints, whether the learner passes a list, a tuple or a 1-D integer array."""
    return tuple(int(token) for token in np.asarray(prefix).reshape(-1))


class RandomStep:
    """log-probs of `vocab` tokens, a function of the prefix only: log_softmax(scale * z) with z standard normal
    draws from default_rng((seed, *prefix)) (bos included, so bos must be >= 0), and `eos_bias` added to token
    `eos`'s logit (when eos is not None) before the softmax: > 0 makes hypotheses end early."""

    def __init__(self, vocab: int, seed: int, eos: int | None = None, eos_bias: float = 0.0, scale: float = 1.0):
        self.vocab, self.seed, self.eos, self.eos_bias, self.scale = vocab, seed, eos, eos_bias, scale

    def __call__(self, prefix) -> np.ndarray:
        z = self.scale * np.random.default_rng((self.seed, *_tokens(prefix))).standard_normal(self.vocab)
        if self.eos is not None:
            z[self.eos] += self.eos_bias
        z -= z.max()
        return z - np.log(np.sum(np.exp(z)))

    def __repr__(self) -> str:
        return f"RandomStep(vocab={self.vocab}, seed={self.seed}, eos={self.eos}, eos_bias={self.eos_bias})"


class TableStep:
    """log-probs from a table: `table` maps the generated tokens of a prefix (bos left out, a tuple) to the next
    token's probabilities; a prefix not in it gets `default`. For step functions written to show one rule."""

    def __init__(self, table: dict[tuple[int, ...], tuple[float, ...]], default: tuple[float, ...]):
        self.table, self.default = dict(table), tuple(default)

    def __call__(self, prefix) -> np.ndarray:
        return np.log(np.asarray(self.table.get(_tokens(prefix)[1:], self.default), dtype=np.float64))

    def __repr__(self) -> str:
        return f"TableStep({self.table}, default={self.default})"
