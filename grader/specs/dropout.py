"""dropout: inverted dropout, graded statistically, never mask against mask.

The learner's mask is random, so no check compares it with the reference's
(grader.authoring.statistical). What is checked instead, on x of 1, 2 and 4
dimensions: every output is 0 or x/(1-p); the fraction dropped lies within
binomial bounds; units are dropped independently of each other (no mask
shared across samples, channels or positions); backward reuses the
forward's mask; seeding behaves; the global np.random state is left alone.

Every statistical test here fails a correct answer with probability below
2e-8 (Hoeffding's bound): 1e-8 for each fraction, 1e-8 + 1e-8 for each axis
of the independence test (its pairs, and the fraction it compares them
with, one per rank). With the 12 tests of a grading run (6 fractions, 2 + 4
axes), 6e-8 + 6e-8 + 2e-8 in all: a correct answer fails less than once in
5 million runs.
"""
from __future__ import annotations

from statistics import NormalDist

import numpy as np

from grader.authoring.kata import Check, Kata, KnownMistake
from grader.authoring.statistical import SHAPE_ROW, Edge, Event, Sampler, always_together, backward, edge_mistake, \
    expect_equal, expect_fraction, expect_independent, global_rng_mistake, sample, sampler_speed, statistical_checks, \
    within_band
from grader.checks.compare import compare_arrays
from grader.checks.mistakes import matches
from grader.checks.session import Session

#: x of each rank the contract names: 2-D (N, D), 4-D activations (N, C, H, W), 1-D.
SHAPES = {"2-D": (20, 30), "4-D": (3, 4, 5, 6), "1-D": (50,)}
#: Larger x for the statistical rows, 40000 and 12800 units, each dropped at the p of FRACTIONS (seeds 100, 101, 102).
STATISTICAL_SHAPES = {"2-D": (200, 200), "4-D": (16, 8, 10, 10)}
FRACTIONS = (0.2, 0.5, 0.9)
#: What sharing a mask along each axis means, for messages.
AXES = {"2-D": ("samples (axis 0)", "features (axis 1)"),
        "4-D": ("samples (axis 0)", "channels (axis 1)", "rows (axis 2)", "columns (axis 3)")}
DROPPED = Event("units", "dropped", "dropped or kept together")


def _draw_x(rng: np.random.Generator, shape) -> np.ndarray:
    """Inputs of magnitude 1 to 2 with random signs: never 0, so a 0 in out means dropped."""
    return rng.uniform(1, 2, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def _x_of(rank: str, p: float):  # one call's arguments
    return lambda rng: (_draw_x(rng, SHAPES[rank]), p)


FORWARD = Sampler("dropout_forward", _x_of("2-D", 0.5), lambda x, p: f"x of shape {x.shape}, p = {p}", draw="mask",
                  returns=("out", "cache"), shape=lambda x, p: x.shape, backward="dropout_backward",
                  cases=tuple(_x_of(rank, 0.3) for rank in SHAPES))


def _run(session: Session, key: str, shape, p: float, seed: int = 0):
    """(x, out, the call): x drawn for `key`, and the learner's dropout_forward(x, p, rng=default_rng(seed))."""
    x = _draw_x(session.rng("x", key, shape), shape)
    return (x, *sample(session, FORWARD, (x, p), seed))


def _statistical(session: Session, rank: str, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, out) of the fraction row at FRACTIONS[index]; shared by the statistical rows and mistakes."""
    return session.memo(("statistical", rank, index), lambda: _run(
        session, "fraction", STATISTICAL_SHAPES[rank], FRACTIONS[index], seed=100 + index)[:2])


# -- the rows -----------------------------------------------------------------

def _scaling(session: Session) -> None:
    for p, rank in ((0.3, "2-D"), (0.75, "4-D"), (0.5, "1-D")):
        x, out, _ = _run(session, f"scaling {p}", SHAPES[rank], p)
        kept = out != 0
        unscaled = compare_arrays("out", np.where(kept, x, 0.0), out, 2.0) is None
        expect_equal(np.where(kept, x / (1 - p), 0.0), out, "out", f"x of shape {x.shape}, p = {p}: " + (
            "kept units are x itself: inverted dropout scales them by 1/(1-p) at train time" if unscaled
            else "each element must be 0 (dropped) or x/(1-p) (kept)"), 2.0)


def _independent(session: Session) -> None:
    for rank, shape in STATISTICAL_SHAPES.items():  # the fraction row's draw at p = 0.5
        expect_independent(_statistical(session, rank, 1)[1] == 0, f"x of shape {shape}, p = 0.5", DROPPED,
                           "draw one random number per unit, rng.random(x.shape), not one mask shared along an "
                           "axis", AXES[rank])


def _fraction(session: Session) -> None:
    for rank, shape in STATISTICAL_SHAPES.items():
        for index, p in enumerate(FRACTIONS):
            expect_fraction(_statistical(session, rank, index)[1] == 0, p, f"x of shape {shape}, p = {p}", DROPPED,
                            mistaken=((1 - p, "p is the probability of DROPPING a unit (PyTorch's convention), "
                                              "not of keeping it"),))


def _mask_reused(session: Session) -> None:
    for p, rank in ((0.4, "2-D"), (0.4, "4-D"), (0.0, "1-D")):
        x, out, forward = _run(session, f"mask {p}", SHAPES[rank], p, seed=3)
        dout, dx, _ = backward(session, FORWARD, forward, "dout mask", p, rank)
        expect_equal(np.where(out != 0, dout / (1 - p), 0.0), dx, "dx", f"x of shape {x.shape}, p = {p}: dx must be "
                     f"dout/(1-p) where the forward kept a unit and 0 where it dropped one (reuse the forward's "
                     f"mask)", max(2.0, float(np.max(np.abs(dout)))))


EDGES = (
    Edge("p = 0 keeps every unit", FORWARD, (_x_of("4-D", 0.0),), expected=lambda x, p: x,
         why="p = 0 must keep every unit unchanged"),
    Edge("p = 1 drops every unit", FORWARD, (_x_of("4-D", 1.0),), expected=lambda x, p: np.zeros(x.shape),
         gradient=lambda dout, x, p: np.zeros(x.shape), why="p = 1 must drop every unit, out and dx all zeros",
         clean="when every unit is dropped, return zeros without dividing by 1 - p = 0"),
    Edge("p outside [0, 1] raises ValueError", FORWARD, (_x_of("2-D", -0.1), _x_of("2-D", 1.5)), raises="ValueError",
         why="p outside [0, 1]"),
    Edge("train = False is the identity", FORWARD, (_x_of("1-D", 0.3), _x_of("4-D", 0.3)), {"train": False},
         expected=lambda x, p: x, gradient=lambda dout, x, p: dout,
         why="train=False must return out equal to x, and then dx equal to dout"),
)


# -- known mistakes: the learner's outputs (given its own mask) against the mistake's --

def _keep_probability(session: Session) -> bool:
    """p taken as the probability of keeping: about 1 - p dropped, kept units scaled by 1/p."""
    draws = [(p, *_statistical(session, "2-D", index)) for index, p in ((0, 0.2), (2, 0.9))]  # 0.5 tells nothing
    return all(within_band(out == 0, 1 - p) for p, _, out in draws) and matches(
        (np.where(out != 0, x / p, 0.0), out, np.where(out != 0, x / (1 - p), 0.0), 2.0) for p, x, out in draws)


def _not_scaled(session: Session) -> bool:
    """About p of the units dropped, and the kept ones equal to x."""
    x, out, _ = _run(session, "scaling 0.3", SHAPES["2-D"], 0.3)
    return abs(float(np.mean(out == 0)) - 0.3) <= 0.2 and \
        matches([(np.where(out != 0, x, 0.0), out, np.where(out != 0, x / 0.7, 0.0), 2.0)])


def _backward_new_mask(session: Session) -> bool:
    """dx is a dropout of dout of its own: 0 or dout/(1-p) everywhere, but zero elsewhere than out."""
    _, out, forward = _run(session, "mask 0.4", SHAPES["2-D"], 0.4, seed=3)
    dout, dx, _ = backward(session, FORWARD, forward, "dout mask", 0.4, "2-D")
    return abs(float(np.mean(dx == 0)) - 0.4) <= 0.2 and \
        matches([(np.where(dx != 0, dout / 0.6, 0.0), dx, np.where(out != 0, dout / 0.6, 0.0), 5.0)])


def _shared_along(*axes: int):
    """The 4-D mask is shared along every one of `axes`, and only those."""
    return lambda session: always_together(_statistical(session, "4-D", 1)[1] == 0) == set(axes)


def _normal_draws(session: Session) -> bool:
    """The fraction dropped at each p is that of a mask from standard normal draws z (randn for rand):
    Phi(p) (drop where z < p), or 1 - Phi(1 - p) (keep where z < 1 - p)."""
    phi = NormalDist().cdf
    return any(all(within_band(_statistical(session, "2-D", index)[1] == 0, wrong(p))
                   for index, p in enumerate(FRACTIONS)) for wrong in (phi, lambda p: 1 - phi(1 - p)))


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
    edge_mistake(EDGES[3], "test mode scales by 1 - p",
                 "With train=False your output is x*(1 - p), classic dropout's test-time scaling: inverted "
                 "dropout already scaled at train time, so return x unchanged.", lambda x, p: x * (1 - p)),
    edge_mistake(EDGES[1], "p = 1 divides by zero",
                 "With p = 1 your output holds NaN from dividing by 1 - p = 0: when every unit is dropped, "
                 "return zeros without the division.", lambda x, p: np.full(x.shape, np.nan)),  # x * 0/0
    global_rng_mistake((FORWARD,), "mask drawn from the global np.random",
                       "Your mask comes from np.random's global state (np.random.rand, np.random.seed...) although "
                       "an rng is given: draw from it, rng.random(x.shape), so that the same seed gives the same "
                       "mask and nothing else's random numbers change."),
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


KATA = Kata(
    name="dropout",
    title="inverted dropout, graded statistically",
    functions=("dropout_forward", "dropout_backward"),
    checks=statistical_checks((FORWARD,), (
        # These rows run x of several ranks: an answer that cannot take one is told so once, in the shape row.
        Check("kept units scaled by 1/(1-p)", "value", _scaling, needs=(SHAPE_ROW,)),
        Check("units dropped independently", "value", _independent, needs=(SHAPE_ROW,)),
        # A mask shared along an axis has few independent draws, so its fraction strays for that reason.
        Check("fraction dropped matches p", "value", _fraction, needs=(SHAPE_ROW, "units dropped independently")),
        Check("backward reuses the forward's mask", "gradient", _mask_reused, needs=(SHAPE_ROW,)),
    ), EDGES),
    speed=sampler_speed(FORWARD, "dropout_forward + dropout_backward on x 100x320, p = 0.5",
                        lambda rng: (_draw_x(rng, (100, 320)), 0.5)),
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
