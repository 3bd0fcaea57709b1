"""Kata init: fan-in and fan-out, then Xavier/Glorot and Kaiming/He initialisation.

The worked answer: fans from the shape, then one std per rule and a draw
from the rng given; the uniforms' bound is sqrt(3) times the std.

Weights multiply on the right in this repository: a linear weight is
(D_in, D_out), as in the linear kata, a departure from PyTorch's
(out, in). Conv weights are PyTorch's (F, C, HH, WW), as in the conv2d
kata.
"""

import math

import numpy as np


def fans(shape):
    """The fan-in and fan-out of a weight of the given shape.

    - A 2-D linear weight (D_in, D_out), as this repository's linear
      layer multiplies x @ w (a departure from PyTorch's (out, in)
      order, whose fan_in is shape[1]): fan_in = D_in, fan_out = D_out.
    - A 4-D conv weight (F, C, HH, WW) (PyTorch's): each output sums over
      C input channels times a receptive field of HH * WW positions, so
      fan_in = C * HH * WW and fan_out = F * HH * WW.
    - Any other shape of 3 or more axes likewise: the receptive field is
      the product of the axes after the first two, fan_in = shape[1] *
      receptive field, fan_out = shape[0] * receptive field (PyTorch's
      rule for conv weights of any dimension).

    Inputs:
    - shape: A tuple of ints

    Returns a tuple of:
    - fan_in: An int
    - fan_out: An int

    Raises ValueError when shape has fewer than 2 axes.

    What is graded: that fan_in and fan_out are real scalars; their values
    against the reference (two numbers agree when |a - b| <= 1e-6 *
    max(|a|, |b|), or |a - b| <= 1e-10 * s, with s the largest entry of
    the shape, at least 1) for 2-D shapes with D_in != D_out and 4-D
    shapes with F != C; edge cases: 3-D and 5-D shapes, and shapes of 1 and 0 axes
    (ValueError); that the same shape gives the same fans.
    """
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"fans need a weight of at least 2 axes; got shape {shape}")
    if len(shape) == 2:
        # This repository's linear weight is (D_in, D_out): x @ w sums over axis 0. (PyTorch's (out, in) is the
        # other way round: torch's fan_in of a 2-D weight is shape[1].)
        return shape[0], shape[1]
    # A conv weight (F, C, *kernel): each output sums over C channels times the kernel's positions, and each
    # input feeds F filters at as many positions.
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def xavier_uniform(shape, gain=1.0, rng=None):
    """Xavier/Glorot uniform initialisation (torch.nn.init.xavier_uniform_).

        std = gain * sqrt(2 / (fan_in + fan_out))
        w ~ Uniform(-bound, bound), bound = sqrt(3) * std

    (a uniform on [-b, b] has variance b**2 / 3: the sqrt(3) makes the
    variance std**2), with fan_in and fan_out those of fans(shape).

    Inputs:
    - shape: A tuple of ints, at least 2 axes: (D_in, D_out) or
      (F, C, HH, WW)
    - gain: A scaling factor, a float; default 1.0
    - rng: A numpy.random.Generator, the only source of randomness; None
      means a fresh np.random.default_rng(). Never use the global
      np.random (np.random.rand, np.random.seed...).

    Returns:
    - w: A float64 array of the given shape

    Raises ValueError when shape has fewer than 2 axes.

    What is graded: see "What is graded" under kaiming_normal (all four
    initialisers are graded alike, by distribution: a random draw is never
    compared with the reference's by the agreement rule).
    """
    fan_in, fan_out = fans(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    bound = math.sqrt(3.0) * std  # Uniform(-b, b) has variance b**2/3: this bound gives variance std**2
    return _rng(rng).uniform(-bound, bound, size=tuple(shape))


def xavier_normal(shape, gain=1.0, rng=None):
    """Xavier/Glorot normal initialisation (torch.nn.init.xavier_normal_).

        std = gain * sqrt(2 / (fan_in + fan_out))
        w ~ Normal(0, std**2)

    with fan_in and fan_out those of fans(shape): a plain normal, not a
    truncated one (as TensorFlow's truncated_normal initialisers draw).

    Inputs:
    - shape: A tuple of ints, at least 2 axes
    - gain: A scaling factor, a float; default 1.0
    - rng: A numpy.random.Generator, the only source of randomness; None
      means a fresh np.random.default_rng()

    Returns:
    - w: A float64 array of the given shape

    Raises ValueError when shape has fewer than 2 axes.

    What is graded: see "What is graded" under kaiming_normal (by
    distribution, not by the agreement rule).
    """
    fan_in, fan_out = fans(shape)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return _rng(rng).normal(0.0, std, size=tuple(shape))


def kaiming_uniform(shape, a=0.0, mode="fan_in", rng=None):
    """Kaiming/He uniform initialisation (torch.nn.init.kaiming_uniform_
    with its default nonlinearity, leaky_relu).

        gain = sqrt(2 / (1 + a**2))    (sqrt(2) for ReLU, a = 0)
        std = gain / sqrt(fan)
        w ~ Uniform(-bound, bound), bound = sqrt(3) * std

    with fan = fan_in or fan_out of fans(shape), as mode says. (PyTorch's
    nn.Linear initialises its weight with a = sqrt(5): bound =
    1 / sqrt(fan_in).)

    Inputs:
    - shape: A tuple of ints, at least 2 axes
    - a: The negative slope of the leaky ReLU that follows, a float;
      default 0.0
    - mode: "fan_in" (preserves the variance of the forward pass) or
      "fan_out" (of the backward pass); default "fan_in"
    - rng: A numpy.random.Generator, the only source of randomness; None
      means a fresh np.random.default_rng()

    Returns:
    - w: A float64 array of the given shape

    Raises ValueError when shape has fewer than 2 axes or mode is neither
    "fan_in" nor "fan_out".

    What is graded: see "What is graded" under kaiming_normal (by
    distribution, not by the agreement rule).
    """
    bound = math.sqrt(3.0) * _kaiming_std(shape, a, mode)
    return _rng(rng).uniform(-bound, bound, size=tuple(shape))


def kaiming_normal(shape, a=0.0, mode="fan_in", rng=None):
    """Kaiming/He normal initialisation (torch.nn.init.kaiming_normal_
    with its default nonlinearity, leaky_relu).

        gain = sqrt(2 / (1 + a**2))
        std = gain / sqrt(fan)
        w ~ Normal(0, std**2)

    with fan = fan_in or fan_out of fans(shape), as mode says: a plain
    normal, not a truncated one.

    Inputs:
    - shape: A tuple of ints, at least 2 axes
    - a: The negative slope of the leaky ReLU that follows, a float;
      default 0.0
    - mode: "fan_in" or "fan_out"; default "fan_in"
    - rng: A numpy.random.Generator, the only source of randomness; None
      means a fresh np.random.default_rng()

    Returns:
    - w: A float64 array of the given shape

    Raises ValueError when shape has fewer than 2 axes or mode is neither
    "fan_in" nor "fan_out".

    What is graded (for all four initialisers): the shape of w for 2-D,
    3-D and 4-D shapes; its distribution, never draw against draw (so not
    by the agreement rule of fans), on
    weights of shape (300, 100) and (64, 16, 3, 3) (the gains, slopes a
    and modes vary, a = sqrt(5) among them): the fraction of positive
    weights (1/2), the fraction within one std of 0 (68.27% for a normal,
    1/sqrt(3) = 57.74% for a uniform) and, for a normal, within two std
    (95.45%), each within Hoeffding's band; and for a uniform, no weight
    beyond the bound. Each of these 25 tests fails a correct answer with
    probability at most 1e-8 (Hoeffding's bound holds for any number of
    draws): 2.5e-7 in all, below 1e-6, and the rows below never fail a
    correct answer but by a coincidence of two independent draws. Edge
    cases: a shape of 1 axis (and, for Kaiming, mode "fan_avg") raises
    ValueError. Behaviour: the same seed gives the same weights; seeds 11
    and 12 give different weights, and so do two calls with rng=None;
    np.random's global state is neither used nor changed; the shape is not
    modified. Speed is shown beside the score but never counted in it.
    """
    return _rng(rng).normal(0.0, _kaiming_std(shape, a, mode), size=tuple(shape))


def _rng(rng):
    """The Generator to draw from: the one given, else a fresh one (never the global np.random)."""
    return np.random.default_rng() if rng is None else rng


def _kaiming_std(shape, a, mode):
    """gain / sqrt(fan): the gain sqrt(2/(1 + a**2)) makes up for the half of a ReLU's inputs it zeroes (a = 0)."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f'mode must be "fan_in" or "fan_out"; got {mode!r}')
    fan_in, fan_out = fans(shape)
    return math.sqrt(2.0 / (1 + a**2)) / math.sqrt(fan_in if mode == "fan_in" else fan_out)
