"""dropout: inverted dropout, graded statistically, never mask against mask.

The learner's mask is random, so no check compares it with the reference's.
What is checked instead, on x of 1, 2 and 4 dimensions: every output is 0
or x/(1-p); the fraction dropped lies within binomial bounds; units are
dropped independently of each other (no mask shared across samples,
channels or positions); backward reuses the forward's mask; seeding
behaves; the global np.random state is left alone. The grader itself stays
deterministic: every generator it hands over is seeded.

Every statistical test here fails a correct answer with probability below
2e-8 (Hoeffding's bound, which holds for any number of draws, not only in
the normal limit): 1e-8 for each fraction, 1e-8 + 1e-8 for each axis of the
independence test (its pairs, and the fraction it compares them with). With
the 12 tests of a grading run, a correct answer fails less than once in 5
million runs.
"""
from __future__ import annotations

import math

import numpy as np

from grader.checks.compare import compare_arrays
from grader.checks.session import Session
from grader.sandbox.process import Returned
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.returns import describe_value, expect_raises
from grader.checks.speed import learner_pass, measure_speed, reference_pass

#: The chance that one statistical test fails a correct answer, at most.
FALSE_FAILURE = 1e-8
#: x of each rank the contract names: 2-D (N, D), 4-D activations (N, C, H, W), 1-D.
SHAPES = {"2-D": (20, 30), "4-D": (3, 4, 5, 6), "1-D": (50,)}
#: Larger x for the statistical rows: 40000 and 12800 units.
STATISTICAL_SHAPES = {"2-D": (200, 200), "4-D": (16, 8, 10, 10)}
#: What sharing a mask along each axis of a 4-D x means, for messages.
AXES_4D = ("samples (axis 0)", "channels (axis 1)", "rows (axis 2)", "columns (axis 3)")


def hoeffding_band(n: int, chance: float = FALSE_FAILURE, sides: int = 2) -> float:
    """t such that the mean of n independent draws in [0, 1] strays beyond t of its expectation with
    probability at most `chance` (Hoeffding: P(|mean - mu| >= t) <= 2 exp(-2 n t**2))."""
    return math.sqrt(math.log(sides / chance) / (2 * n))


def _x(session: Session, key: str, shape=SHAPES["2-D"]) -> np.ndarray:
    """Inputs of magnitude 1 to 2 with random signs: never 0, so a 0 in out means dropped."""
    rng = session.rng("x", key, shape)
    return rng.uniform(1, 2, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _forward(session: Session, x: np.ndarray, p: float, seed: int | None = 0, **options) -> tuple[np.ndarray, Returned]:
    """The learner's out for dropout_forward(x, p, train=True, rng=default_rng(seed)), and the call."""
    rng = None if seed is None else np.random.default_rng(seed)
    with session.about(f"x of shape {x.shape}, p = {p}"):
        returned = session.call("dropout_forward", x, p, send=(0,), rng=rng, **options)
    value = returned.value
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise CheckFailed(f"dropout_forward must return a tuple (out, cache); it returned {describe_value(value)}")
    out = value[0]
    if not isinstance(out, np.ndarray) or out.shape != x.shape:
        raise CheckFailed(f"x of shape {x.shape}, p = {p}: dropout_forward's out should be an array of shape "
                          f"{x.shape}; got {describe_value(out)}")
    return out, returned


def _backward(session: Session, forward: Returned, dout: np.ndarray) -> tuple[np.ndarray, Returned]:
    with session.about(f"dout of shape {dout.shape}"):
        returned = session.call("dropout_backward", dout, forward.ref[1])
    dx = returned.value
    if not isinstance(dx, np.ndarray) or dx.shape != dout.shape:
        raise CheckFailed(f"dout of shape {dout.shape}: dropout_backward should return dx, an array of that "
                          f"shape; got {describe_value(dx)}")
    return dx, returned


def _expect_scaled(out: np.ndarray, x: np.ndarray, p: float) -> None:
    """Every element of out is 0 (dropped) or x/(1-p) (kept)."""
    kept = out != 0
    expected = np.where(kept, x / (1 - p), 0.0)
    mismatch = compare_arrays("out", expected, out, 2.0)
    if mismatch is None:
        return
    unscaled = compare_arrays("out", np.where(kept, x, 0.0), out, 2.0) is None
    hint = ("kept units are x itself: inverted dropout scales them by 1/(1-p) at train time"
            if unscaled else "each element must be 0 (dropped) or x/(1-p) (kept)")
    raise CheckFailed(f"x of shape {x.shape}, p = {p}: {hint}: {mismatch.describe()}")


def _dropped_together(dropped: np.ndarray, axis: int) -> tuple[float, int]:
    """(fraction of pairs that agree, pairs): neighbours 2k and 2k+1 along `axis` that were both dropped
    or both kept. The pairs share no unit, so for independent units each agrees with probability
    p**2 + (1-p)**2, independently of the others."""
    length = dropped.shape[axis] // 2 * 2
    first = np.take(dropped, np.arange(0, length, 2), axis=axis)
    second = np.take(dropped, np.arange(1, length, 2), axis=axis)
    return float(np.mean(first == second)), int(first.size)


# -- the rows -----------------------------------------------------------------

def _shapes(session: Session) -> None:
    for rank, shape in SHAPES.items():
        x = _x(session, "shape", shape)
        forward = _forward(session, x, 0.3)[1]
        _backward(session, forward, session.rng("dout shape", rank).standard_normal(x.shape))


def _scaling(session: Session) -> None:
    for p, rank in ((0.3, "2-D"), (0.75, "4-D"), (0.5, "1-D")):
        x = _x(session, f"scaling {p}", SHAPES[rank])
        _expect_scaled(_forward(session, x, p)[0], x, p)


def _statistical_x(session: Session, rank: str) -> np.ndarray:
    return _x(session, "fraction", STATISTICAL_SHAPES[rank])


def _fraction(session: Session) -> None:
    for rank in STATISTICAL_SHAPES:
        x = _statistical_x(session, rank)
        for index, p in enumerate((0.2, 0.5, 0.9)):
            out = _forward(session, x, p, seed=100 + index)[0]
            dropped = float(np.mean(out == 0))
            band = hoeffding_band(out.size)
            if abs(dropped - p) > band:
                hint = ""
                if abs(dropped - (1 - p)) <= band:
                    hint = ": p is the probability of DROPPING a unit (PyTorch's convention), not of keeping it"
                raise CheckFailed(f"x of shape {x.shape}, p = {p}: {dropped:.1%} of {out.size} units dropped, "
                                  f"expected {p:.0%} +- {band:.1%}{hint}")


def _shared_axes(session: Session, rank: str) -> list[tuple[int, float, float]]:
    """(axis, agreeing fraction, its bound) for each axis along which neighbouring units are dropped
    together more often than independent units could be, at p = 0.5.

    Independent units dropped with probability f agree in pairs with probability f**2 + (1 - f)**2.
    f is estimated from all the units (within t2 of the truth but for a 1e-8 chance), which moves that
    agreement by at most 2*t2; the pairs' agreeing fraction strays above its expectation by more than t1
    with a chance below 1e-8. A wrong fraction alone (a fraction row's mistake) is not dependence.
    """
    x = _statistical_x(session, rank)
    dropped = _forward(session, x, 0.5, seed=101)[0] == 0  # the fraction row's draw at p = 0.5
    f = float(np.mean(dropped))
    slack = 2 * hoeffding_band(dropped.size)
    shared = []
    for axis in range(dropped.ndim):
        agreeing, pairs = _dropped_together(dropped, axis)
        bound = min(1.0, f**2 + (1 - f) ** 2 + slack + hoeffding_band(pairs, sides=1))
        if agreeing > bound:
            shared.append((axis, agreeing, bound))
    return shared


def _independent(session: Session) -> None:
    for rank in STATISTICAL_SHAPES:
        shared = _shared_axes(session, rank)
        if shared:
            names = AXES_4D if rank == "4-D" else ("samples (axis 0)", "features (axis 1)")
            along = " and ".join(f"neighbouring {names[axis]} are dropped or kept together in {agreeing:.1%} "
                                 f"of pairs" for axis, agreeing, _ in shared)
            bound = max(bound for _, _, bound in shared)
            raise CheckFailed(
                f"x of shape {STATISTICAL_SHAPES[rank]}, p = 0.5: {along}, more than independent units could "
                f"(at most {bound:.1%} by chance, given how many you drop): draw one random number per unit, "
                f"rng.random(x.shape), not one mask shared along an axis")


def _mask_reused(session: Session) -> None:
    for p, rank in ((0.4, "2-D"), (0.4, "4-D"), (0.0, "1-D")):
        x = _x(session, f"mask {p}", SHAPES[rank])
        out, forward = _forward(session, x, p, seed=3)
        dout = session.rng("dout mask", p, rank).standard_normal(x.shape)
        dx, _ = _backward(session, forward, dout)
        expected = np.where(out != 0, dout / (1 - p), 0.0)
        mismatch = compare_arrays("dx", expected, dx, max(2.0, float(np.max(np.abs(dout)))))
        if mismatch:
            raise CheckFailed(f"x of shape {x.shape}, p = {p}: dx must be dout/(1-p) where the forward kept a "
                              f"unit and 0 where it dropped one (reuse the forward's mask): {mismatch.describe()}")


def _p_zero(session: Session) -> None:
    x = _x(session, "p0", SHAPES["4-D"])
    out = _forward(session, x, 0.0)[0]
    mismatch = compare_arrays("out", x, out, 2.0)
    if mismatch:
        raise CheckFailed(f"p = 0 must keep every unit unchanged: {mismatch.describe()}")


def _p_one(session: Session) -> None:
    x = _x(session, "p1", SHAPES["4-D"])
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
    for rank in ("1-D", "4-D"):
        x = _x(session, "eval", SHAPES[rank])
        out, forward = _forward(session, x, 0.5, train=False)
        mismatch = compare_arrays("out", x, out, 2.0)
        if mismatch:
            raise CheckFailed(f"x of shape {x.shape}: train=False must return x unchanged: {mismatch.describe()}")
        dout = session.rng("dout eval", rank).standard_normal(x.shape)
        mismatch = compare_arrays("dx", dout, _backward(session, forward, dout)[0], max(1.0, float(np.max(np.abs(dout)))))
        if mismatch:
            raise CheckFailed(f"x of shape {x.shape}: after train=False, dx must equal dout: {mismatch.describe()}")


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
        returned = session.memo(("global rng", seed), lambda: session.call(
            "dropout_forward", x, 0.5, send=(), rng=rng, watch_global_rng=True))
        if returned.global_rng_changed:
            given = "with rng=None" if seed is None else "with an rng given"
            raise CheckFailed(f"{given}, dropout_forward used or changed the global np.random state "
                              "(np.random.rand, np.random.seed...): draw from the rng argument")


def _not_modified(session: Session) -> None:
    """No call of any row changed x or dout (one more forward and backward, in case none ran)."""
    x = _x(session, "modified")
    returned = session.call("dropout_forward", x, 0.5, send=(0,), rng=np.random.default_rng(1))
    _backward(session, returned, session.rng("dout modified").standard_normal(x.shape))
    session.check_inputs_unmodified()


# -- known mistakes: the learner's outputs against what the mistake would give ------

def _within_band(out: np.ndarray, fraction: float) -> bool:
    """The fraction of zeros in out is within the statistical rows' band around `fraction`."""
    return abs(float(np.mean(out == 0)) - fraction) <= hoeffding_band(out.size)


def _keep_probability(session: Session) -> bool:
    """p taken as the probability of keeping: about 1 - p dropped, kept units scaled by 1/p."""
    x = _statistical_x(session, "2-D")
    for index, p in ((0, 0.2), (2, 0.9)):  # the fraction check's draws; p = 0.5 tells nothing
        out = _forward(session, x, p, seed=100 + index)[0]
        if not _within_band(out, 1 - p) or compare_arrays("out", np.where(out != 0, x / p, 0.0), out, 2.0):
            return False
    return True


def _not_scaled(session: Session) -> bool:
    """About p of the units dropped, and the kept ones equal to x."""
    x = _x(session, "scaling 0.3", SHAPES["2-D"])
    out = _forward(session, x, 0.3)[0]
    return abs(float(np.mean(out == 0)) - 0.3) <= 0.2 and \
        compare_arrays("out", np.where(out != 0, x, 0.0), out, 2.0) is None


def _backward_new_mask(session: Session) -> bool:
    """dx is a dropout of dout of its own: 0 or dout/(1-p) everywhere, but zero elsewhere than out."""
    p = 0.4
    x = _x(session, "mask 0.4", SHAPES["2-D"])
    out, forward = _forward(session, x, p, seed=3)
    dout = session.rng("dout mask", p, "2-D").standard_normal(x.shape)
    dx, _ = _backward(session, forward, dout)
    return (abs(float(np.mean(dx == 0)) - p) <= 0.2 and not np.array_equal(dx == 0, out == 0)
            and compare_arrays("dx", np.where(dx != 0, dout / (1 - p), 0.0), dx, 5.0) is None)


def _test_mode_scaled(session: Session) -> bool:
    x = _x(session, "eval", SHAPES["1-D"])
    out = _forward(session, x, 0.3, train=False)[0]
    return compare_arrays("out", x * 0.7, out, 2.0) is None


def _p_one_nan(session: Session) -> bool:
    x = _x(session, "p1", SHAPES["4-D"])
    return bool(np.isnan(_forward(session, x, 1.0)[0]).any())


def _global_state(session: Session) -> bool:
    """With an rng given, dropout_forward used or changed np.random's global state."""
    x = _x(session, "global")
    returned = session.memo(("global rng", 5), lambda: session.call(
        "dropout_forward", x, 0.5, send=(), rng=np.random.default_rng(5), watch_global_rng=True))
    return bool(returned.global_rng_changed)


def _normal_draws(session: Session) -> bool:
    """The fraction dropped at each p of the fraction row is that of a mask drawn from standard normal
    draws where uniform ones were meant (randn for rand): Phi(p) (drop where z < p), or 1 - Phi(1 - p)
    (keep where z < 1 - p)."""
    phi = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))  # noqa: E731
    x = _statistical_x(session, "2-D")
    fractions = [_forward(session, x, p, seed=100 + index)[0] for index, p in enumerate((0.2, 0.5, 0.9))]
    return any(all(_within_band(out, wrong(p)) for out, p in zip(fractions, (0.2, 0.5, 0.9)))
               for wrong in (phi, lambda p: 1 - phi(1 - p)))


def _shared_along(*axes: int):
    """The 4-D mask is shared along every one of `axes` (and only those): its neighbours there always agree."""
    def detect(session: Session) -> bool:
        shared = {axis for axis, agreeing, _ in _shared_axes(session, "4-D") if agreeing == 1.0}
        return shared == set(axes)
    return detect


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
    KnownMistake("mask drawn from the global np.random",
                 "Your mask comes from np.random's global state (np.random.rand, np.random.seed...) although an "
                 "rng is given: draw from it, rng.random(x.shape), so that the same seed gives the same mask and "
                 "nothing else's random numbers change.", _global_state),
    KnownMistake("mask from normal draws",
                 "The fraction of units you drop is that of standard normal draws compared with p "
                 "(randn where rand was meant): draw uniform numbers in [0, 1), rng.random(x.shape), and keep "
                 "those >= p.", _normal_draws),
    KnownMistake("one mask for every sample",
                 "Every sample of your batch gets the same mask (drawn with the shape of x[0], then broadcast): "
                 "each unit of each sample is dropped on its own, rng.random(x.shape).", _shared_along(0)),
    KnownMistake("whole channels dropped",
                 "Your mask drops whole channels, the same for every position of a channel, as "
                 "nn.Dropout2d does: this dropout drops each unit on its own, rng.random(x.shape).",
                 _shared_along(2, 3)),
)


def _speed(session: Session):
    x = _x(session, "speed", (100, 320))
    stored_x = session.learner.put(x, "x")
    return measure_speed(
        session, "dropout_forward + dropout_backward on x 100x320, p = 0.5",
        reference_pass(session.reference, "dropout_forward", "dropout_backward", x, 0.5, rng=np.random.default_rng(0)),
        lambda: learner_pass(session, "dropout_forward", "dropout_backward", stored_x, 0.5,
                             rng=np.random.default_rng(0)))


_SHAPES_ROW = ("output shapes",)

KATA = Kata(
    name="dropout",
    title="inverted dropout, graded statistically",
    functions=("dropout_forward", "dropout_backward"),
    checks=(
        Check("output shapes", "shape", _shapes),
        # The rows below run x of several ranks: an answer that cannot take one is told so once, above.
        Check("kept units scaled by 1/(1-p)", "value", _scaling, needs=_SHAPES_ROW),
        Check("units dropped independently", "value", _independent, needs=_SHAPES_ROW),
        # A mask shared along an axis has few independent draws, so its fraction strays for that reason.
        Check("fraction dropped matches p", "value", _fraction, needs=_SHAPES_ROW + ("units dropped independently",)),
        Check("backward reuses the forward's mask", "gradient", _mask_reused, needs=_SHAPES_ROW),
        Check("p = 0 keeps every unit", "edge", _p_zero, needs=_SHAPES_ROW),
        Check("p = 1 drops every unit", "edge", _p_one, needs=_SHAPES_ROW),
        Check("p outside [0, 1] raises ValueError", "edge", _invalid_p),
        Check("train = False is the identity", "edge", _not_training, needs=_SHAPES_ROW),
        Check("same seed, same mask", "behaviour", _same_seed),
        Check("other seed, other mask", "behaviour", _other_seed),
        Check("global np.random untouched", "behaviour", _global_rng),
        Check("inputs not modified", "behaviour", _not_modified, runs_last=True),
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
