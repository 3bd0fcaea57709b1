"""Training data for the capstones, made here from a seed: nothing is downloaded.

`pattern_images` gives small colour images whose class is a bright shape at
a place (learnable structure, as in real images: a 3x3 filter sees the
shape, the pooled map says where); `sine` gives the MLP's regression
target; `copy_sequences` the tiny GPT's copy task. The same arguments give
the same arrays, on every machine.
"""
from __future__ import annotations

import numpy as np

# The two shapes, 3x3: a filled square and a plus sign.
_SHAPES = (np.ones((3, 3)), np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]))


def pattern_images(n: int, num_classes: int = 10, image_shape: tuple[int, int, int] = (3, 8, 8),
                   noise: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n images (n, C, H, W) float64 and their labels (n,) int64, classes as balanced as n allows.

    Class k is one of the two 3x3 shapes (square, plus) at one of
    ceil(num_classes / 2) places spread over the image, drawn brightest in
    colour channel k % C; each image moves its shape by up to one pixel
    and adds Gaussian noise of standard deviation `noise`.
    """
    channels, height, width = image_shape
    if height < 5 or width < 5:
        raise ValueError(f"images must be at least 5x5 to hold a shape that moves; got {height}x{width}")
    rng = np.random.default_rng(seed)
    places = _places(-(-num_classes // 2), height, width)
    labels = rng.permutation(np.arange(n) % num_classes)
    images = noise * rng.standard_normal((n, channels, height, width))
    shifts = rng.integers(-1, 2, size=(n, 2))
    for image, label, (dy, dx) in zip(images, labels, shifts):
        top, left = places[label // 2]
        top, left = int(np.clip(top + dy, 0, height - 3)), int(np.clip(left + dx, 0, width - 3))
        colour = np.full(channels, 0.5)
        colour[label % channels] = 2.0
        image[:, top:top + 3, left:left + 3] += colour[:, None, None] * _SHAPES[label % 2]
    return images, labels.astype(np.int64)


def _places(count: int, height: int, width: int) -> list[tuple[int, int]]:
    """`count` top-left corners for a 3x3 shape, spread row by row over the image."""
    columns = int(np.ceil(np.sqrt(count)))
    rows = -(-count // columns)
    tops = np.linspace(0, height - 3, rows).round().astype(int)
    lefts = np.linspace(0, width - 3, columns).round().astype(int)
    return [(int(tops[i // columns]), int(lefts[i % columns])) for i in range(count)]


def sine(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x (n, 1) uniform on [0, 1) and y = 20 sin(2 pi x) (n, 1), one period, both float64; no noise."""
    x = np.random.default_rng(seed).uniform(0.0, 1.0, size=(n, 1))
    return x, 20.0 * np.sin(2.0 * np.pi * x)


def copy_sequences(n: int, half: int, symbols: int, seed: int = 0,
                   ignore_index: int = -100) -> tuple[np.ndarray, np.ndarray]:
    """The copy task: n sequences of `half` random symbols repeated once, as (ids, targets), each (n, 2*half - 1).

    A model reads tokens 0 .. 2*half - 2 and predicts tokens 1 .. 2*half - 1. The targets of the first half
    (the next token is random there) are `ignore_index`: only the copied half is scored, where position t's
    answer is the token at t - half + 1, so only attention, looking back, can find it.
    """
    first = np.random.default_rng(seed).integers(0, symbols, size=(n, half))
    sequences = np.concatenate([first, first], axis=1)
    ids, targets = sequences[:, :-1].copy(), sequences[:, 1:].copy()
    targets[:, :half - 1] = ignore_index
    return ids, targets
