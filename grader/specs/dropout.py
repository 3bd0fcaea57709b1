"""dropout: inverted dropout, graded statistically, never mask against mask.

The learner's mask is random, so no check compares it with the reference's.
What is checked instead: every output is 0 or x/(1-p); the fraction dropped
lies within binomial bounds a correct answer leaves less than once in a
million runs; backward reuses the forward's mask; seeding behaves; the global
np.random state is left alone. The grader itself stays deterministic: every
generator it hands over is seeded.
"""
from __future__ import annotations

import numpy as np

from grader.compare import compare_arrays
from grader.engine import Session
from grader.isolation import Returned
from grader.kata import Check, CheckFailed, Kata, KnownMistake
from grader.returns import describe_value, expect_raises, modified_inputs
from grader.speed import learner_pass, measure_speed, reference_pass

#: Half-width of the accepted band for the fraction dropped, in binomial standard deviations.
#: Three p values are tested; 5.5 sigma per test keeps a correct answer's failure rate
#: below 1e-7 for all of them together (normal tail 1.9e-8 per side).
SIGMAS = 5.5
STATISTICAL_SHAPE = (200, 200)


def _x(session: Session, key: str, shape=(20, 30)) -> np.ndarray:
    """Inputs of magnitude 1 to 2 with random signs: never 0, so a 0 in out means dropped."""
    rng = session.rng("x", key)
    return rng.uniform(1, 2, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _forward(session: Session, x: np.ndarray, p: float, seed: int | None = 0, **options) -> tuple[np.ndarray, Returned]:
    """The learner's out for dropout_forward(x, p, train=True, rng=default_rng(seed)), and the call."""
    rng = None if seed is None else np.random.default_rng(seed)
    returned = session.call("dropout_forward", x, p, send=(0,), rng=rng, **options)
    value = returned.value
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise CheckFailed(f"dropout_forward must return a tuple (out, cache); it returned {describe_value(value)}")
    out = value[0]
    if not isinstance(out, np.ndarray) or out.shape != x.shape:
        raise CheckFailed(f"dropout_forward's out should be an array of shape {x.shape}; got "
                          f"{describe_value(out)}")
    return out, returned


def _backward(session: Session, forward: Returned, dout: np.ndarray) -> tuple[np.ndarray, Returned]:
    returned = session.call("dropout_backward", dout, forward.ref[1], return_args=True)
    dx = returned.value
    if not isinstance(dx, np.ndarray) or dx.shape != dout.shape:
        raise CheckFailed(f"dropout_backward should return dx, an array of shape {dout.shape}; got "
                          f"{describe_value(dx)}")
    return dx, returned


def _expect_scaled(out: np.ndarray, x: np.ndarray, p: float) -> None:
    """Every element of out is 0 (dropped) or x/(1-p) (kept)."""
    kept = out != 0
    expected = np.where(kept, x / (1 - p), 0.0)
    mismatch = compare_arrays("out", expected, out)
    if mismatch is None:
        return
    unscaled = compare_arrays("out", np.where(kept, x, 0.0), out) is None
    hint = ("kept units are x itself: inverted dropout scales them by 1/(1-p) at train time"
            if unscaled else "each element must be 0 (dropped) or x/(1-p) (kept)")
    raise CheckFailed(f"p = {p}: {hint}: {mismatch.describe()}")


# -- the rows -----------------------------------------------------------------

def _shapes(session: Session) -> None:
    x = _x(session, "shape")
    forward = _forward(session, x, 0.3)[1]
    _backward(session, forward, session.rng("dout shape").standard_normal(x.shape))


def _scaling(session: Session) -> None:
    for p in (0.3, 0.75):
        x = _x(session, f"scaling {p}")
        _expect_scaled(_forward(session, x, p)[0], x, p)


def _fraction(session: Session) -> None:
    for index, p in enumerate((0.2, 0.5, 0.9)):
        x = _x(session, "fraction", STATISTICAL_SHAPE)
        out = _forward(session, x, p, seed=100 + index)[0]
        n = out.size
        dropped = float(np.mean(out == 0))
        band = SIGMAS * np.sqrt(p * (1 - p) / n)
        if abs(dropped - p) > band:
            hint = ""
            if abs(dropped - (1 - p)) <= band:
                hint = ": p is the probability of DROPPING a unit (PyTorch's convention), not of keeping it"
            raise CheckFailed(f"p = {p}: {dropped:.1%} of {n} units dropped, expected {p:.0%} "
                              f"+- {band:.1%}{hint}")


def _mask_reused(session: Session) -> None:
    for p in (0.4, 0.0):
        x = _x(session, f"mask {p}")
        out, forward = _forward(session, x, p, seed=3)
        dout = session.rng("dout mask", p).standard_normal(x.shape)
        dx, _ = _backward(session, forward, dout)
        expected = np.where(out != 0, dout / (1 - p), 0.0)
        mismatch = compare_arrays("dx", expected, dx)
        if mismatch:
            raise CheckFailed(f"p = {p}: dx must be dout/(1-p) where the forward kept a unit and 0 where it "
                              f"dropped one (reuse the forward's mask): {mismatch.describe()}")


def _p_zero(session: Session) -> None:
    x = _x(session, "p0")
    out = _forward(session, x, 0.0)[0]
    mismatch = compare_arrays("out", x, out)
    if mismatch:
        raise CheckFailed(f"p = 0 must keep every unit unchanged: {mismatch.describe()}")


def _p_one(session: Session) -> None:
    x = _x(session, "p1")
    out, forward = _forward(session, x, 1.0)
    if not np.all(out == 0):
        raise CheckFailed(f"p = 1 must drop every unit: out holds {np.count_nonzero(out)} nonzero values "
                          f"(NaN: {int(np.isnan(out).sum())})")
    if forward.warnings:
        raise CheckFailed(f"p = 1 must give zeros without a warning; got {forward.warnings[0]}")
    dx, backward = _backward(session, forward, session.rng("dout p1").standard_normal(x.shape))
    if not np.all(dx == 0) or backward.warnings:
        raise CheckFailed("p = 1: dx must be all zeros, without NaN or a warning")


def _invalid_p(session: Session) -> None:
    x = _x(session, "invalid")
    for p in (-0.1, 1.5):
        expect_raises(lambda: _forward(session, x, p), "ValueError", f"p = {p}, outside [0, 1],")


def _not_training(session: Session) -> None:
    x = _x(session, "eval")
    out, forward = _forward(session, x, 0.5, train=False)
    mismatch = compare_arrays("out", x, out)
    if mismatch:
        raise CheckFailed(f"train=False must return x unchanged: {mismatch.describe()}")
    dout = session.rng("dout eval").standard_normal(x.shape)
    mismatch = compare_arrays("dx", dout, _backward(session, forward, dout)[0])
    if mismatch:
        raise CheckFailed(f"after train=False, dx must equal dout: {mismatch.describe()}")


def _same_seed(session: Session) -> None:
    x = _x(session, "seed")
    first, second = _forward(session, x, 0.5, seed=11)[0], _forward(session, x, 0.5, seed=11)[0]
    if not np.array_equal(first, second):
        raise CheckFailed("two calls with rng=np.random.default_rng(11) dropped different units: "
                          "draw the mask from the rng argument")


def _other_seed(session: Session) -> None:
    x = _x(session, "seed")
    first, second = _forward(session, x, 0.5, seed=11)[0], _forward(session, x, 0.5, seed=12)[0]
    if np.array_equal(first, second):
        raise CheckFailed("seeds 11 and 12 gave the same mask: draw the mask from the rng argument")
    fresh = [_forward(session, x, 0.5, seed=None)[0] for _ in range(2)]
    if np.array_equal(*fresh):
        raise CheckFailed("two calls with rng=None gave the same mask: use a fresh np.random.default_rng()")


def _global_rng(session: Session) -> None:
    x = _x(session, "global")
    for seed in (5, None):
        rng = None if seed is None else np.random.default_rng(seed)
        returned = session.call("dropout_forward", x, 0.5, send=(), rng=rng, watch_global_rng=True)
        if returned.global_rng_changed:
            given = "with rng=None" if seed is None else "with an rng given"
            raise CheckFailed(f"{given}, dropout_forward used or changed the global np.random state "
                              "(np.random.rand, np.random.seed...): draw from the rng argument")


def _not_modified(session: Session) -> None:
    x = _x(session, "modified")
    returned = session.call("dropout_forward", x, 0.5, send=(), return_args=True, rng=np.random.default_rng(1))
    if modified_inputs({"x": x}, returned.args_after[0]):
        raise CheckFailed("dropout_forward modified x in place")
    dout = session.rng("dout modified").standard_normal(x.shape)
    _, backward = _backward(session, returned, dout)
    if modified_inputs({"dout": dout}, backward.args_after[0]):
        raise CheckFailed("dropout_backward modified dout in place")


# -- known mistakes: the learner's outputs against what the mistake would give ------

def _within_band(out: np.ndarray, fraction: float, p: float) -> bool:
    """The fraction of zeros in out is within the binomial band around `fraction` (p draws of out.size)."""
    return abs(float(np.mean(out == 0)) - fraction) <= SIGMAS * np.sqrt(p * (1 - p) / out.size)


def _keep_probability(session: Session) -> bool:
    """p taken as the probability of keeping: about 1 - p dropped, kept units scaled by 1/p."""
    for index, p in ((0, 0.2), (2, 0.9)):  # the fraction check's draws; p = 0.5 tells nothing
        x = _x(session, "fraction", STATISTICAL_SHAPE)
        out = _forward(session, x, p, seed=100 + index)[0]
        if not _within_band(out, 1 - p, p) or compare_arrays("out", np.where(out != 0, x / p, 0.0), out):
            return False
    return True


def _not_scaled(session: Session) -> bool:
    """About p of the units dropped, and the kept ones equal to x."""
    x = _x(session, "scaling 0.3")
    out = _forward(session, x, 0.3)[0]
    return _within_band(out, 0.3, 0.3) and compare_arrays("out", np.where(out != 0, x, 0.0), out) is None


def _backward_new_mask(session: Session) -> bool:
    """dx is a dropout of dout of its own: 0 or dout/(1-p) everywhere, but zero elsewhere than out."""
    p = 0.4
    x = _x(session, "mask 0.4")
    out, forward = _forward(session, x, p, seed=3)
    dout = session.rng("dout mask", p).standard_normal(x.shape)
    dx, _ = _backward(session, forward, dout)
    return (_within_band(dx, p, p) and not np.array_equal(dx == 0, out == 0)
            and compare_arrays("dx", np.where(dx != 0, dout / (1 - p), 0.0), dx) is None)


def _test_mode_scaled(session: Session) -> bool:
    x = _x(session, "eval")
    out = _forward(session, x, 0.3, train=False)[0]
    return compare_arrays("out", x * 0.7, out) is None


def _p_one_nan(session: Session) -> bool:
    x = _x(session, "p1")
    return bool(np.isnan(_forward(session, x, 1.0)[0]).any())


MISTAKES = (
    KnownMistake("p taken as the keep probability",
                 "About 1 - p of your units are dropped and the kept ones scaled by 1/p, as if p were the "
                 "probability of keeping: here p is the probability of dropping, keep where rng.random() >= p "
                 "and scale by 1/(1 - p).", _keep_probability),
    KnownMistake("kept units not scaled",
                 "Your kept units equal x: inverted dropout scales them by 1/(1 - p) at train time, so that "
                 "test time is the identity.", _not_scaled),
    KnownMistake("backward draws a new mask",
                 "Your dropout_backward drops other units than the forward pass did: cache the forward's mask "
                 "and multiply dout by it.", _backward_new_mask),
    KnownMistake("test mode scales by 1 - p",
                 "With train=False your output is x*(1 - p), classic dropout's test-time scaling: inverted "
                 "dropout already scaled at train time, so return x unchanged.", _test_mode_scaled),
    KnownMistake("p = 1 divides by zero",
                 "With p = 1 your output holds NaN from dividing by 1 - p = 0: when every unit is dropped, "
                 "return zeros without the division.", _p_one_nan),
)


def _speed(session: Session):
    x = _x(session, "speed", (100, 320))
    stored_x = session.learner.put(x, "x")
    return measure_speed(
        session, "dropout_forward + dropout_backward on x 100x320, p = 0.5",
        reference_pass(session.reference, "dropout_forward", "dropout_backward", x, 0.5, rng=np.random.default_rng(0)),
        lambda: learner_pass(session, "dropout_forward", "dropout_backward", stored_x, 0.5,
                             rng=np.random.default_rng(0)))


KATA = Kata(
    name="dropout",
    title="inverted dropout, graded statistically",
    functions=("dropout_forward", "dropout_backward"),
    checks=(
        Check("output shapes", "shape", _shapes),
        Check("kept units scaled by 1/(1-p)", "value", _scaling),
        Check("fraction dropped matches p", "value", _fraction),
        Check("backward reuses the forward's mask", "gradient", _mask_reused),
        Check("p = 0 keeps every unit", "edge", _p_zero),
        Check("p = 1 drops every unit", "edge", _p_one),
        Check("p outside [0, 1] raises ValueError", "edge", _invalid_p),
        Check("train = False is the identity", "edge", _not_training),
        Check("same seed, same mask", "behaviour", _same_seed),
        Check("other seed, other mask", "behaviour", _other_seed),
        Check("global np.random untouched", "behaviour", _global_rng),
        Check("inputs not modified", "behaviour", _not_modified),
    ),
    speed=_speed,
    hints=(
        "p is the probability of dropping a unit, and the randomness must come from the rng you are "
        "given. Think about what backward needs to remember from the forward pass.",
        "Draw uniform numbers of x's shape from rng, keep a unit where its draw is >= p, scale the kept "
        "units by 1/(1-p) and cache that scaled mask; backward multiplies dout by the same mask, and "
        "train=False returns x unchanged.",
        "mask = (rng.random(x.shape) >= p) / (1 - p), out = x * mask, dx = dout * mask, with p == 1 "
        "giving all zeros without dividing.",
    ),
    mistakes=MISTAKES,
)
