"""rope: rotary position embedding with half-split pairs (GPT-NeoX, Hugging Face LLaMA), forward and backward.

x of 2, 3 and 4 dimensions with T != d (a transposed angle table shows as a shape), the default positions
(once passed as None); the edges give positions that are neither contiguous nor from 0, a base of 100 and an odd
d. A row of its own checks the property RoPE exists for: scores of rotated q and k depend only on m - n.
"""
import numpy as np

from grader.authoring.kata import Check, CheckFailed
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.compare import compare_arrays, input_scale
from grader.checks.contrast import Feature
from grader.checks.returns import expect_array, expect_tuple

GIVEN = Case("positions [3, 7, 8, 20]", {"x": (3, 4, 8)}, {"positions": np.array([3, 7, 8, 20])})  # not from 0
LAYER = Layer(
    forward="rope_forward", backward="rope_backward", inputs=("x",), backward_twice=True,
    # Small, so that numerical gradients cover every element.
    cases=(Case("2-D x", {"x": (5, 6)}), Case("3-D x, positions None", {"x": (2, 4, 8)}, {"positions": None}),
           Case("4-D x", {"x": (2, 3, 3, 4)})),
    edges=(
        Edge("positions given", GIVEN, why="row t is turned by positions[t] * theta_i, not t * theta_i"),
        Edge("base 100", Case("base 100.0", {"x": (2, 5, 6)}, {"base": 100.0}),
             why="theta_i = base ** (-2*i/d) with the base given"),
        Edge("odd d raises ValueError", Case("d = 5", {"x": (2, 3, 5)}), raises="ValueError",
             why="an odd d cannot be split into pairs"),
    ),
    speed_case=Case("speed", {"x": (4, 4, 64, 64)}),
    # No `dims`: x's rank varies, and dims name axes from the front, so T and d have no fixed place.
    features=(Feature("positions are given", lambda case: case.params.get("positions") is not None,
                      negation="positions are the default 0..T-1"),
              Feature("base is not 10000", lambda case: case.params.get("base", 10000.0) != 10000.0,
                      negation="base is 10000"),
              Feature("x has more than two axes", lambda case: len(case.shapes["x"]) > 2, negation="x is 2-D")),
)

SHIFT = 37


def _relative_positions(session) -> None:
    """Random q and k rotated at positions m and n, then at m + SHIFT and n + SHIFT: the same scores."""
    rng = session.rng("relative positions")
    q, k = rng.standard_normal((2, 5, 8)), rng.standard_normal((2, 6, 8))
    at_q, at_k = np.array([0, 2, 3, 9, 14]), np.array([1, 4, 5, 7, 11, 30])
    scores = []
    for shift in (0, SHIFT):
        rotated = []
        for name, array, at in (("q", q, at_q), ("k", k, at_k)):
            label = f"{name} {'x'.join(map(str, array.shape))} at positions {(at + shift).tolist()}"
            with session.about(label):
                returned = session.call("rope_forward", array, positions=at + shift, send=(0,))
            out = expect_tuple(returned.value, "rope_forward", ("out", "cache"))[0]
            expect_array(out, "rope_forward's out")
            if out.shape != array.shape:
                raise CheckFailed(f"{label}: out has shape {out.shape}, expected {array.shape}")
            rotated.append(out)
        scores.append(rotated[0] @ np.swapaxes(rotated[1], -1, -2))
    if mismatch := compare_arrays("scores", scores[0], scores[1], input_scale(q, k)):
        raise CheckFailed.from_mismatch(
            f"the scores rope(q) @ rope(k).T change when every position moves by {SHIFT} ({mismatch.describe()}): "
            f"with RoPE a score must depend only on m - n. Your forward does not turn each pair by a rotation through "
            f"an angle proportional to its position: x_i and x_(i+d/2) must be turned by one and the same angle a, "
            f"with the signs of a rotation, (x_i cos a - x_(i+d/2) sin a, x_i sin a + x_(i+d/2) cos a), and a must "
            f"be positions[t] * theta_i, linear in the position (not scaled by T, not wrapped)",
            mismatch)


def _angles(x, positions, base, exponent=2.0):
    T, d = x.shape[-2:]
    at = np.arange(T) if positions is None else positions
    angle = at[:, None] * base ** (-exponent * np.arange(d // 2) / d)
    return np.cos(angle), np.sin(angle)


def _rotated(reference, x, **params):
    return reference.rope_forward(x, **params)[0]


def _interleaved(reference, x, positions=None, base=10000.0):
    cos, sin = _angles(x, positions, base)
    even, odd = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = even * cos - odd * sin, even * sin + odd * cos
    return out


def _half_split(x, cos, sin, sign=1.0):
    x1, x2 = np.split(x, 2, axis=-1)
    return np.concatenate([x1 * cos - sign * x2 * sin, sign * x1 * sin + x2 * cos], axis=-1)


MISTAKES = (
    layer_mistake(LAYER, "interleaved pairs",
                  "Your forward pairs neighbouring features (x_2i, x_2i+1), as the RoPE paper and Meta's original "
                  "LLaMA code do: this kata follows GPT-NeoX and Hugging Face LLaMA, which pair feature i with "
                  "feature i + d/2 (x[..., :d//2] with x[..., d//2:]).", forward=_interleaved),
    layer_mistake(LAYER, "theta exponent -i/d",
                  "Your frequencies are base ** (-i/d): with one theta per pair, i < d/2, the exponent is -2i/d, "
                  "theta = base ** (-2 * np.arange(d // 2) / d), so the slowest pair turns by about 1/base per step.",
                  forward=lambda reference, x, positions=None, base=10000.0:
                  _half_split(x, *_angles(x, positions, base, exponent=1.0))),
    layer_mistake(LAYER, "positions ignored",
                  "Your forward turns row t by t * theta_i whatever positions says: use positions[t] when positions "
                  "is given (0..T-1 only when it is None), as a decoder with a cache needs for its new tokens.",
                  forward=lambda reference, x, positions=None, **params: _rotated(reference, x, **params)),
    layer_mistake(LAYER, "backward rotates by +a",
                  "Your dx turns dout by the same angle as the forward, R(a) @ dout: the gradient of out = R(a) x is "
                  "R(a)^T dout, the rotation by -a (dx_i = dout_i cos a + dout_(i+d/2) sin a, ...).",
                  # with the forward right: a forward turning by -a, with its backward by +a, is the sign mistake
                  forward=_rotated,
                  gradients=lambda reference, right, dout, x, **params: _rotated(reference, dout, **params)),
    layer_mistake(LAYER, "rotation's sign swapped",
                  "Your forward turns each pair by -a, (x_i cos a + x_(i+d/2) sin a, -x_i sin a + x_(i+d/2) cos a): "
                  "the minus belongs to the first half, out_i = x_i cos a - x_(i+d/2) sin a (rotate_half(x) is "
                  "concatenate(-x2, x1), not concatenate(x2, -x1)).",
                  forward=lambda reference, x, positions=None, base=10000.0:
                  _half_split(x, *_angles(x, positions, base), sign=-1.0)),
)

KATA = layer_kata(
    LAYER, name="rope", title="rotary position embedding (half-split pairs, as GPT-NeoX and LLaMA), forward and "
    "backward", mistakes=MISTAKES,
    extra=(Check("relative positions: scores depend only on m - n", "edge", _relative_positions,
                 needs=("forward output shape",)),),
    hints=(
        "Cut the feature axis in halves: feature i pairs with feature i + d/2, and each pair is a 2-D vector "
        "turned by an angle that grows with its position. In backward, what undoes a rotation?",
        "Build theta (d/2,) and the angle table positions[:, None] * theta (T, d/2); its cos and sin broadcast "
        "over x's leading axes. Rotate x1 = x[..., :d//2] and x2 = x[..., d//2:], concatenate, and keep cos and "
        "sin in the cache: backward rotates dout the other way.",
        "theta = base ** (-2 * np.arange(d // 2) / d); out = concatenate([x1*cos - x2*sin, x1*sin + x2*cos], -1); "
        "dx = concatenate([d1*cos + d2*sin, -d1*sin + d2*cos], -1) with d1, d2 the halves of dout.",
    ),
)
