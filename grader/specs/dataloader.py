"""dataloader: minibatches of (X, y) reshuffled every epoch, a class graded by its epochs, shuffles statistically.

The learner's DataLoader lives in its process; the grader drives it there with builtins stored beside it
(`list(map(list, repeat(loader, E)))` iterates E epochs in one request), so no order is ever compared with the
reference's. The permutation is judged by how often each sample lands at each position over 1000 epochs (exact
binomial bounds, 1e-8 for the whole table) and by epochs of 40 samples differing (chance 1/40! a pair).
"""
from __future__ import annotations

import itertools
import operator
from dataclasses import dataclass

import numpy as np

from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.authoring.statistical import binomial_band
from grader.checks.returns import describe_value, expect_raises, tried
from grader.checks.session import Session
from grader.checks.speed import measure_speed
from grader.sandbox.protocol import Ref

#: Builtins kept in the learner's process, called through Refs: they iterate the learner's loader there.
TOOLS = (list, map, itertools.repeat, len, operator.itemgetter(1), itertools.chain.from_iterable, np.fromiter)
LIST, MAP, REPEAT, LEN, SECOND, FLATTEN, FROMITER = range(len(TOOLS))
#: The positions table: EPOCHS epochs of STAT (8 samples), a correct answer outside its bounds with chance <= RATE.
EPOCHS, RATE = 1000, 1e-8


@dataclass(frozen=True)
class Setup:
    """A loader's configuration: X of shape (n, *features), y a permutation of range(n) (each sample's id)."""

    n: int
    batch_size: int
    shuffle: bool = True
    drop_last: bool = False
    features: tuple = (3,)

    def label(self) -> str:
        return (f"X of shape {(self.n, *self.features)}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last}")

    def sizes(self) -> list[int]:
        full, rest = divmod(self.n, self.batch_size)
        return [self.batch_size] * full + ([rest] if rest and not self.drop_last else [])


SHAPED = (Setup(10, 4), Setup(7, 3, features=(2, 3, 3)), Setup(10, 3, drop_last=True))
SIZED = (Setup(10, 3, False), Setup(10, 3, False, True), Setup(10, 5, False), Setup(10, 5, False, True))
WIDE = (Setup(3, 5), Setup(3, 5, drop_last=True))  # batch_size > N
ORDERED = (Setup(10, 4, False), Setup(7, 3, False, True, (2, 3, 3)))
SHUFFLED = (Setup(10, 4), Setup(10, 4, drop_last=True))
STAT, LONG = Setup(8, 3, features=(2,)), Setup(40, 7, features=(2,))


def _data(session: Session, setup: Setup) -> tuple[np.ndarray, np.ndarray]:
    def draw():
        rng = session.rng("data", setup)
        return rng.standard_normal((setup.n, *setup.features)), rng.permutation(setup.n)
    return session.memo(("data", setup), draw)


def _tool(session: Session, index: int, label: str) -> Ref:
    tools = session.memo("tools", lambda: session.learner.put(TOOLS, "the grader's iteration tools"))
    return Ref(tools.call_id, (index,), label)


def _loader(session: Session, setup: Setup, seed: int | None, key: object = 0):
    """DataLoader(X, y, batch_size, shuffle=..., drop_last=..., rng=default_rng(seed)) (None: rng=None)."""
    def build():
        rng = None if seed is None else np.random.default_rng(seed)
        with session.about(setup.label()):
            return session.call("DataLoader", *_data(session, setup), setup.batch_size, shuffle=setup.shuffle,
                                drop_last=setup.drop_last, rng=rng, watch_global_rng=True)
    return session.memo(("loader", setup, seed, key), build)


def _length(session: Session, setup: Setup, seed: int | None = 0, key: object = 0) -> int:
    """len(loader); made after every iteration too, so that X or y changed meanwhile is seen."""
    loader = _loader(session, setup, seed, key).ref
    with session.about(setup.label()):
        value = session.call(_tool(session, LEN, "len(loader)"), loader).value
    if not isinstance(value, int):
        raise CheckFailed(f"{setup.label()}: len(loader) gave {describe_value(value)}, not an int")
    return value


def _epochs(session: Session, setup: Setup, count: int, seed: int | None = 0, key: object = 0) -> list:
    """[[(X_batch, y_batch), ...] per epoch] of `count` epochs, each batch checked to be a pair of arrays."""
    def run():
        loader, label = _loader(session, setup, seed, key).ref, setup.label()
        with session.about(label):
            epochs = session.call(_tool(session, REPEAT, "itertools.repeat"), loader, count).ref
            lists = session.call(_tool(session, MAP, "map"), _tool(session, LIST, "list"), epochs).ref
            value = session.call(_tool(session, LIST, f"iterating your DataLoader for {count} epochs"), lists).value
        _length(session, setup, seed, key)
        X, y = _data(session, setup)
        for epoch in value:
            for batch in epoch if isinstance(epoch, list) else ():
                if not (isinstance(batch, (tuple, list)) and len(batch) == 2 and all(
                        isinstance(a, np.ndarray) for a in batch)):
                    got = describe_value(batch)
                    if isinstance(batch, (tuple, list)) and len(batch) == 2:  # a pair, of something else than arrays
                        got += f" of {describe_value(batch[0])} and {describe_value(batch[1])}"
                    raise CheckFailed(f"{label}: each batch must be a tuple (X_batch, y_batch) of arrays, X[idx] "
                                      f"and y[idx]; got {got}")
                if batch[0].shape[1:] != X.shape[1:] or batch[1].shape[1:] != y.shape[1:] or \
                        len(batch[0]) != len(batch[1]) or len(batch[1]) > setup.batch_size:
                    raise CheckFailed(f"{label}: a batch of shapes {batch[0].shape} and {batch[1].shape}; expected "
                                      f"(B, {', '.join(map(str, X.shape[1:]))}) and (B,), B <= batch_size")
        return value
    return session.memo(("epochs", setup, count, seed, key), run)


def _ids(session: Session, setup: Setup, count: int, seed: int | None = 0, key: object = 0) -> list[np.ndarray]:
    """Each epoch's sample ids (positions in X) in the order yielded."""
    inverse = np.argsort(_data(session, setup)[1])
    return [inverse[np.concatenate([b[1] for b in epoch]).astype(np.int64)] if epoch else np.array([], int)
            for epoch in _epochs(session, setup, count, seed, key)]


def _positions(session: Session) -> np.ndarray:
    """(EPOCHS, n) sample ids of STAT's epochs, y flattened in the learner's process (np.fromiter)."""
    def run():
        loader, label = _loader(session, STAT, 100).ref, f"{STAT.label()}, {EPOCHS} epochs"
        with session.about(label):
            epochs = session.call(_tool(session, REPEAT, "itertools.repeat"), loader, EPOCHS).ref
            ys = session.call(_tool(session, MAP, "map"), _tool(session, MAP, "map"), session.call(
                _tool(session, REPEAT, "itertools.repeat"), _tool(session, SECOND, "itemgetter(1)")).ref, epochs).ref
            flat = session.call(_tool(session, FLATTEN, "chain"), session.call(_tool(session, FLATTEN, "chain"),
                                                                               ys).ref).ref
            value = session.call(_tool(session, FROMITER, f"iterating your DataLoader for {EPOCHS} epochs"), flat,
                                 dtype=np.int64).value
        if not isinstance(value, np.ndarray) or value.shape != (EPOCHS * STAT.n,):
            raise CheckFailed(f"{label}: the epochs did not hold {STAT.n} samples each")
        return np.argsort(_data(session, STAT)[1])[value.reshape(EPOCHS, STAT.n)]
    return session.memo("positions", run)


# -- the rows -----------------------------------------------------------------

def _pairs(session: Session) -> None:
    for setup in SHAPED:  # loaders of their own: the other rows' epoch 1 is their loader's first epoch
        _epochs(session, setup, 1, key="shapes")


def _len(session: Session) -> None:
    for setup in SIZED + WIDE:
        got, expected = _length(session, setup), len(setup.sizes())
        if got != expected:
            rule = "floor(N / batch_size): drop_last drops the partial batch" if setup.drop_last else \
                "ceil(N / batch_size): the last partial batch counts"
            raise CheckFailed(f"{setup.label()}: len(loader) is {got}, expected {expected} ({rule})")


def _sizes(session: Session, setups=SIZED) -> None:
    for setup in setups:
        got = [len(batch[1]) for batch in _epochs(session, setup, 1)[0]]
        if got != setup.sizes():
            rule = "drop_last drops the last partial batch" if setup.drop_last else \
                "the last partial batch is yielded unless drop_last"
            raise CheckFailed(f"{setup.label()}: an epoch yielded batches of sizes {got}, expected "
                              f"{setup.sizes()} ({rule})")


def _ordered(session: Session) -> None:
    for setup in ORDERED:
        X, y = _data(session, setup)
        kept = sum(setup.sizes())
        for index, epoch in enumerate(_epochs(session, setup, 2)):
            for name, data, part in (("X", X, 0), ("y", y, 1)):
                got = np.concatenate([batch[part] for batch in epoch]) if epoch else data[:0]
                if got.shape != data[:kept].shape or not np.array_equal(got, data[:kept]):
                    raise CheckFailed(f"{setup.label()}, epoch {index + 1}: the batches' {name} joined is not "
                                      f"{name}[:{kept}] in its original order")


def _once(session: Session) -> None:
    for setup in SHUFFLED:
        for index, ids in enumerate(_ids(session, setup, 3)):
            kept = sum(setup.sizes())
            if len(ids) != kept or len(set(ids.tolist())) != kept:
                twice = np.flatnonzero(np.bincount(ids, minlength=setup.n) > 1)
                raise CheckFailed(f"{setup.label()}, epoch {index + 1}: {len(set(ids.tolist()))} distinct samples of "
                                  f"{len(ids)} yielded, expected each of {kept} once" +
                                  (f" (samples {twice.tolist()} more than once)" if len(twice) else ""))


def _together(session: Session) -> None:
    for setup in SHUFFLED:
        X = _data(session, setup)[0]
        for index, (epoch, ids) in enumerate(zip(_epochs(session, setup, 3), _ids(session, setup, 3))):
            if not np.array_equal(np.concatenate([batch[0] for batch in epoch]), X[ids]):
                raise CheckFailed(f"{setup.label()}, epoch {index + 1}: X_batch's rows are not the samples of "
                                  f"y_batch's labels: cut X and y with the same indices, X[idx], y[idx]")


def _uniform(session: Session) -> str:
    positions, n = _positions(session), STAT.n
    counts = np.zeros((n, n), int)  # counts[sample, position]
    np.add.at(counts, (positions, np.arange(n)), 1)
    lo, hi = binomial_band(EPOCHS, 1 / n, RATE / n**2)
    sample, place = np.unravel_index(np.argmax(np.abs(counts - EPOCHS / n)), counts.shape)
    if not lo <= counts[sample, place] <= hi:
        raise CheckFailed(f"{STAT.label()}, {EPOCHS} epochs: sample {sample} was yielded at position {place} in "
                          f"{counts[sample, place]} epochs, expected about {EPOCHS / n:g} (between {lo} and {hi}: a "
                          f"uniform permutation fails this with a chance below {RATE:g}); shuffle the samples, "
                          f"not the batches, with rng.permutation(N) each epoch")
    return f"each sample at each position in {counts.min()} to {counts.max()} of {EPOCHS} epochs ({lo} to {hi} allowed)"


def _differ(session: Session) -> None:
    orders = _ids(session, LONG, 5, seed=3)
    for a, b in itertools.combinations(range(5), 2):
        if np.array_equal(orders[a], orders[b]):
            raise CheckFailed(f"{LONG.label()}: epochs {a + 1} and {b + 1} had the same order: draw a fresh "
                              f"permutation from rng at the start of each epoch (in __iter__), not once in __init__")


def _same_seed(session: Session) -> None:
    first, again = (_ids(session, LONG, 2, 11, key) for key in (0, 1))
    if not all(np.array_equal(a, b) for a, b in zip(first, again)):
        raise CheckFailed(f"{LONG.label()}: two loaders with rng=np.random.default_rng(11) gave different epochs: "
                          f"draw every permutation from the rng argument")


def _other_seed(session: Session) -> None:
    if np.array_equal(_ids(session, LONG, 2, 11)[0], _ids(session, LONG, 1, 12)[0]):
        raise CheckFailed(f"{LONG.label()}: seeds 11 and 12 gave the same first epoch: draw the permutation from rng")
    if np.array_equal(*(_ids(session, LONG, 1, None, key)[0] for key in (0, 1))):
        raise CheckFailed(f"{LONG.label()}: two loaders with rng=None gave the same first epoch: use a fresh "
                          f"np.random.default_rng()")


def _global_calls(session: Session, seed: int | None):
    """(construction, iteration) of a loader watched for np.random's global state."""
    loader = _loader(session, LONG, seed, "global")

    def iterate():
        with session.about(LONG.label()):
            return session.call(_tool(session, LIST, "iterating your DataLoader"), loader.ref, watch_global_rng=True,
                                send=())
    return loader, session.memo(("global", seed), iterate)


def _global(session: Session) -> None:
    for seed, given in ((5, "with an rng given"), (None, "with rng=None")):
        for call, what in zip(_global_calls(session, seed), ("DataLoader(...)", "iterating the loader")):
            if call.global_rng_changed:
                raise CheckFailed(f"{given}, {what} used or changed the global np.random state (np.random.shuffle, "
                                  f"np.random.permutation...): draw from the rng argument")


def _not_modified(session: Session) -> None:
    tried(lambda: _epochs(session, SHUFFLED[0], 3), stops=True)  # what is wrong with the epochs, their rows say
    session.check_inputs_unmodified()


def _raises(setups_args) -> callable:
    def run(session: Session) -> None:
        for label, (X, y, batch_size) in setups_args:
            expect_raises(lambda: session.call("DataLoader", X, y, batch_size), "ValueError", label)
    return run


CHECKS = (
    Check("batches are (X_batch, y_batch) arrays", "shape", _pairs),
    Check("len(loader)", "value", _len),
    Check("full batches, then the partial one", "value", _sizes, needs=("batches are (X_batch, y_batch) arrays",)),
    Check("shuffle=False keeps the order", "value", _ordered, needs=("batches are (X_batch, y_batch) arrays",)),
    Check("every sample once per epoch", "value", _once, needs=("batches are (X_batch, y_batch) arrays",)),
    Check("X and y shuffled together", "value", _together, needs=("every sample once per epoch",)),
    Check("positions uniform over epochs", "value", _uniform, needs=("every sample once per epoch",)),
    Check("batch_size larger than N", "edge", lambda s: _sizes(s, WIDE),
          needs=("batches are (X_batch, y_batch) arrays",)),
    Check("batch_size < 1 raises ValueError", "edge", _raises(
        [(f"batch_size={b}", (np.zeros((4, 2)), np.arange(4), b)) for b in (0, -1)])),
    Check("len(X) != len(y) raises ValueError", "edge", _raises(
        [("X of 5 samples, y of 4", (np.zeros((5, 2)), np.arange(4), 2))])),
    Check("epochs differ", "behaviour", _differ, needs=("every sample once per epoch",)),
    Check("same seed, same epochs", "behaviour", _same_seed, needs=("every sample once per epoch",)),
    Check("other seed, other epochs", "behaviour", _other_seed, needs=("every sample once per epoch",)),
    Check("global np.random untouched", "behaviour", _global),
    Check("X and y not modified", "behaviour", _not_modified, runs_last=True),
)


# -- known mistakes: what the learner's own epochs show -----------------------

def _reused(session: Session) -> bool:
    """Every epoch the same order, and a shuffled one (drawn once, at construction)."""
    orders = _ids(session, LONG, 5, seed=3)
    return all(np.array_equal(order, orders[0]) for order in orders) and \
        not np.array_equal(orders[0], np.arange(LONG.n))


def _with_replacement(session: Session) -> bool:
    """Epochs of the right length with a sample repeated (rng.integers or rng.choice with replacement)."""
    epochs = [ids for setup in SHUFFLED[:1] for ids in _ids(session, setup, 3)]
    return all(len(ids) == SHUFFLED[0].n for ids in epochs) and any(len(set(ids.tolist())) < len(ids) for ids in epochs)


def _apart(session: Session) -> bool:
    """Every epoch yields each y once and each row of X once, but X's rows not those of y's labels."""
    setup = SHUFFLED[0]
    X = _data(session, setup)[0]
    rows = [np.concatenate([batch[0] for batch in epoch]) for epoch in _epochs(session, setup, 3)]
    ids = _ids(session, setup, 3)
    return all(len(set(i.tolist())) == setup.n and np.array_equal(np.sort(r, axis=0), np.sort(X, axis=0))
               for i, r in zip(ids, rows)) and any(not np.array_equal(r, X[i]) for i, r in zip(ids, rows))


def _sized(drop_last: bool, sizes: list[int]):
    """An epoch of Setup(10, 3) (shuffle False) yielding batches of `sizes`."""
    setup = SIZED[1 if drop_last else 0]
    return lambda session: [len(batch[1]) for batch in _epochs(session, setup, 1)[0]] == sizes


def _not_reset(session: Session) -> bool:
    """The first epoch full, the second empty: __iter__ returns self without restarting its position."""
    epochs = _epochs(session, ORDERED[0], 2)
    return len(epochs) == 2 and len(epochs[0]) == len(ORDERED[0].sizes()) and len(epochs[1]) == 0


def _length_is(drop_last: bool, value: int):
    return lambda session: _length(session, SIZED[1 if drop_last else 0]) == value


def _batches_shuffled(session: Session) -> bool:
    """Each epoch runs of consecutive samples, broken only between batches: the batches' order shuffled."""
    positions = _positions(session)[:50]
    breaks = np.sum(np.diff(positions, axis=1) != 1, axis=1)
    return bool(np.all(breaks < len(STAT.sizes()))) and not np.all(positions == positions[0])


MISTAKES = (
    KnownMistake("one permutation for every epoch",
                 "Every epoch of yours has the same shuffled order: the permutation is drawn once (in __init__) and "
                 "reused. Draw a fresh one from rng at the start of each epoch, in __iter__.", _reused),
    KnownMistake("iterator not restarted",
                 "Your second epoch is empty: __iter__ returns self without restarting, so once the first epoch has "
                 "run out every later `for` over the loader stops at once. Restart each epoch in __iter__ (position "
                 "0 and a fresh permutation), or write __iter__ as a generator function (with yield).", _not_reset),
    KnownMistake("last partial batch dropped",
                 "With drop_last=False your epochs leave out the last partial batch: yield it too, "
                 "range(0, N, batch_size) with order[start:start + batch_size].", _sized(False, [3, 3, 3])),
    KnownMistake("drop_last ignored",
                 "With drop_last=True your epochs still yield the last partial batch: stop after "
                 "N // batch_size full batches.", _sized(True, [3, 3, 3, 1])),
    KnownMistake("len rounds down",
                 "Your len(loader) is N // batch_size without drop_last: the partial batch counts too, "
                 "ceil(N / batch_size) = (N + batch_size - 1) // batch_size.", _length_is(False, 3)),
    KnownMistake("len ignores drop_last",
                 "Your len(loader) counts the partial batch even with drop_last=True: then it is "
                 "N // batch_size.", _length_is(True, 4)),
    KnownMistake("samples drawn with replacement",
                 "Your epochs repeat some samples and miss others, as rng.integers(0, N, N) or rng.choice(N, N) "
                 "(with replacement) do: use a permutation, rng.permutation(N).", _with_replacement),
    KnownMistake("X and y shuffled apart",
                 "Your X_batch rows do not belong to the labels in y_batch: X and y were shuffled with different "
                 "permutations (two rng.shuffle calls draw two). Draw one index array and cut both with it.", _apart),
    KnownMistake("batches shuffled, not samples",
                 "Your batches always hold the same consecutive samples, only their order changes: shuffle the "
                 "sample indices, then cut them into batches.", _batches_shuffled),
    KnownMistake("order drawn from the global np.random",
                 "Your shuffle uses np.random's global state (np.random.shuffle, np.random.permutation...) although "
                 "an rng is given: draw from it, rng.permutation(N).",
                 lambda session: any(call.global_rng_changed for call in _global_calls(session, 5))),
)


def _speed(session: Session):
    """One epoch over 2000 samples of 20 features in batches of 32, learner vs reference."""
    setup = Setup(2000, 32, features=(20,))
    X, y = _data(session, setup)
    reference = session.reference.DataLoader(X, y, 32, rng=np.random.default_rng(0))
    loader = _loader(session, setup, 0).ref
    return measure_speed(session, "one epoch of 2000 samples x 20 features, batch_size 32, shuffled",
                         lambda: list(reference), lambda: session.call(
                             _tool(session, LIST, "iterating your DataLoader"), loader, send=(),
                             watch_inputs=False).seconds)


KATA = Kata(
    name="dataloader",
    title="minibatches of (X, y), reshuffled from the rng every epoch (PyTorch's DataLoader)",
    functions=("DataLoader",),
    checks=CHECKS,
    speed=_speed,
    hints=(
        "Each `for` over the loader is one epoch: where, then, must the random order be drawn? And what "
        "decides how many batches an epoch has, with and without drop_last?",
        "Keep X, y, the options and the Generator in __init__. __iter__ draws order = rng.permutation(N) "
        "(np.arange(N) without shuffle) and yields X[idx], y[idx] for consecutive slices idx of order; "
        "__len__ counts the slices.",
        "len = N // batch_size if drop_last else (N + batch_size - 1) // batch_size; in __iter__: for start in "
        "range(0, len(self) * batch_size, batch_size): idx = order[start:start + batch_size]; "
        "yield X[idx], y[idx].",
    ),
    mistakes=MISTAKES,
)
