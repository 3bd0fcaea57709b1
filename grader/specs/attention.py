"""attention: a bottom-right causal mask, and scaled dot-product attention with a boolean mask, forward and backward.

Tq != Tk and d != dv in every case, so that a transposed product or the wrong axis shows as a shape. The mask is
a Case parameter (None or booleans): full (N, Tq, Tk) in the cases, broadcast from (Tq, Tk) and from (N, 1, Tk)
in edge rows; one edge has queries with no allowed key (out 0, no NaN, no warning), one scores of +-1e4.
causal_mask is a Function whose rows are prefixed "causal_mask"; its edges probe Tk omitted, Tq < Tk and Tq > Tk.
"""
import dataclasses

import numpy as np

from grader.authoring.functions import Edge as FunctionEdge
from grader.authoring.functions import Function, Inputs, Value, function_checks, function_mistake, values
from grader.authoring.kata import Check, CheckFailed
from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.contrast import Feature


def _mask(shape, seed, empty=()):
    """Fixed booleans of `shape` (N, Tq, Tk), about 60% True, every query some key but those in `empty` (n, i)."""
    mask = np.random.default_rng(seed).random(shape) < 0.6
    mask[..., seed % shape[-1]] = True
    for n, i in empty:
        mask[n, i] = False
    return mask


def _large(rng, shapes):
    """Scores of about +-1e4: every key leans the same way on axis 0, query 0 scores about -1e4 on every key
    (exp underflows to 0/0 without the max shift), query 1 about +1e4 (exp overflows), the rest at random."""
    q, k = 100 * rng.standard_normal(shapes["q"]), 100 * rng.standard_normal(shapes["k"])
    k[..., 0] = rng.uniform(100, 200, shapes["k"][:-1])
    q[:, :2] = 5 * rng.standard_normal(q[:, :2].shape)
    q[:, 0, 0], q[:, 1, 0] = -130, 130
    return {"q": q, "k": k, "v": rng.standard_normal(shapes["v"])}


def _case(name, n, tq, tk, d, dv, mask=None, make=None):
    return Case(name, {"q": (n, tq, d), "k": (n, tk, d), "v": (n, tk, dv)}, {"mask": mask}, make=make)


_CAUSAL_3_5 = np.arange(5)[None, :] <= np.arange(3)[:, None] + 2
_PADDING = np.arange(4)[None, None, :] < np.array([4, 2, 3])[:, None, None]  # (N, 1, Tk): lengths 4, 2 and 3

LAYER = Layer(
    forward="attention_forward", backward="attention_backward", inputs=("q", "k", "v"), backward_twice=True,
    cases=(_case("no mask", 2, 4, 3, 5, 2), _case("full mask (N, Tq, Tk)", 3, 2, 5, 4, 3, _mask((3, 2, 5), 7))),
    edges=(
        Edge("mask (Tq, Tk) broadcast over the batch", _case("causal mask (Tq, Tk)", 2, 3, 5, 4, 2, _CAUSAL_3_5),
             why="a (Tq, Tk) mask applies to every example: broadcast it to (N, Tq, Tk)"),
        Edge("padding mask (N, 1, Tk)", _case("padding mask (N, 1, Tk)", 3, 2, 4, 3, 5, _PADDING),
             why="a (N, 1, Tk) mask applies to every query of its example: broadcast it to (N, Tq, Tk)"),
        Edge("query with no allowed key: out 0, no gradient",
             _case("queries with no allowed key", 2, 4, 3, 2, 3, _mask((2, 4, 3), 5, empty=((0, 1), (1, 3)))),
             why="a query whose mask row is all False gets out = 0 and passes no gradient",
             clean="a query with no allowed key has no softmax (0/0): give it probabilities 0, e.g. divide by "
                   "np.where(total > 0, total, 1) after shifting its row by 0 instead of by -inf"),
        Edge("scores of +-1e4: finite, no warnings", _case("scores of +-1e4", 2, 3, 4, 4, 2, make=_large),
             why="scores of +-1e4 must not overflow", gradients="reference",  # central differences lose the digits
             clean="subtract each query's largest allowed score before exp: every exponent is then <= 0"),
    ),
    speed_case=_case("speed, causal mask", 8, 48, 64, 32, 32, np.arange(64)[None, :] <= np.arange(48)[:, None] + 16),
    dims={"q": "N Tq d", "k": "N Tk d", "v": "N Tk dv", "out": "N Tq dv"},
    features=(Feature("a mask is given", lambda case: case.params["mask"] is not None, negation="there is no mask"),
              Feature("Tq < Tk", lambda case: case.shapes["q"][1] < case.shapes["k"][1], negation="Tq > Tk")),
)


def _tk(arguments):
    return arguments.get("Tk") or arguments["Tq"]


def _sizes(label, **sizes):
    return Inputs(label, sizes)


CAUSAL = Function("causal_mask", (Value("causal_mask", lambda arguments: (arguments["Tq"], _tk(arguments))),),
                  (_sizes("Tq = 3, Tk = 5", Tq=3, Tk=5), _sizes("Tq = Tk = 4", Tq=4, Tk=4)))
OMITTED, ONE, LATER, FEWER = (_sizes("Tq = 5, Tk omitted", Tq=5), _sizes("Tq = 1, Tk = 6", Tq=1, Tk=6),
                              _sizes("Tq = 2, Tk = 7", Tq=2, Tk=7), _sizes("Tq = 5, Tk = 3", Tq=5, Tk=3))
CAUSAL_EDGES = (
    FunctionEdge("causal_mask with Tk omitted (Tk = Tq)", (("causal_mask", OMITTED),),
                 why="Tk defaults to Tq, giving the lower triangle, diagonal included: "),
    FunctionEdge("causal_mask with Tq < Tk (aligned bottom-right)", (("causal_mask", ONE), ("causal_mask", LATER)),
                 why="the queries are the last Tq of Tk positions, so query i sees every key j <= i + (Tk - Tq): "),
    FunctionEdge("causal_mask with Tq > Tk", (("causal_mask", FEWER),), why="the first Tq - Tk queries see no key: "),
)


def _booleans(session) -> None:
    for inputs in CAUSAL.cases:
        mask = values(session, CAUSAL, inputs)["causal_mask"]
        if mask.dtype != bool:
            raise CheckFailed(f"{inputs.label}: causal_mask has dtype {mask.dtype}; it must be booleans (dtype bool), "
                              f"True where attending is allowed: compare the positions, j <= i + (Tk - Tq)")


def _probs(reference, q, k, mask=None):
    """The reference's probs, read off as its out for v = the identity (N, Tk, Tk)."""
    return reference.attention_forward(q, k, np.broadcast_to(np.eye(k.shape[1]), k.shape[:2] + k.shape[1:2]), mask)[0]


def _no_key(q, k, mask):
    """(N, Tq, 1): True for the queries with no allowed key."""
    return ~np.broadcast_to(True if mask is None else mask, (len(q), q.shape[1], k.shape[1])).any(-1, keepdims=True)


def _scaled(factor):
    """The forward with scores scaled by 1/sqrt(d) * factor(d)."""
    return lambda reference, q, k, v, mask=None: reference.attention_forward(q * factor(q.shape[-1]), k, v, mask)[0]


def _dscores_as(dscores):
    """dq and dk as the reference's, from dscores(probs, dprobs, allowed) instead of the softmax's Jacobian."""
    def gradients(reference, right, dout, q, k, v, mask=None):
        allowed = np.broadcast_to(True if mask is None else mask, (len(q), q.shape[1], k.shape[1]))
        wrong = dscores(_probs(reference, q, k, mask), dout @ v.swapaxes(-1, -2), allowed) / np.sqrt(q.shape[-1])
        return wrong @ k, wrong.swapaxes(-1, -2) @ q, right[2]
    return gradients


def _after_softmax(reference, q, k, v, mask=None):
    probs = _probs(reference, q, k)  # over every key
    return (probs if mask is None else probs * mask) @ v


MISTAKES = (
    layer_mistake(LAYER, "scores divided by d", "Your scores are q @ k^T / d: the scale is 1/sqrt(d), which keeps "
                  "the scores' variance near 1 whatever d is.", forward=_scaled(lambda d: 1 / np.sqrt(d))),
    layer_mistake(LAYER, "scores not scaled", "Your scores are q @ k^T, without the scale: divide by sqrt(d), d = "
                  "q.shape[-1], before the softmax.", forward=_scaled(np.sqrt)),
    layer_mistake(LAYER, "mask applied after the softmax", "Your probabilities are the softmax over every key, then "
                  "zeroed where the mask is False, so an allowed row no longer sums to 1: mask the scores (-inf) "
                  "before the softmax.", forward=_after_softmax),
    layer_mistake(LAYER, "mask meaning inverted", "Your mask leaves out the keys where it is True, as PyTorch's "
                  "key_padding_mask does: here True means attend (PyTorch's boolean attn_mask).",
                  forward=lambda reference, q, k, v, mask=None: reference.attention_forward(
                      q, k, v, None if mask is None else ~mask)[0]),
    layer_mistake(LAYER, "query with no allowed key gives NaN", "Your out is NaN for a query whose mask row is all "
                  "False: its softmax is 0/0 (exp(-inf) everywhere, or -inf minus a max of -inf). Shift such a row "
                  "by 0 and divide by 1 where the sum is 0, so its probabilities and out are 0.",
                  forward=lambda reference, q, k, v, mask=None: np.where(
                      _no_key(q, k, mask), np.nan, reference.attention_forward(q, k, v, mask)[0])),
    layer_mistake(LAYER, "query with no allowed key averages v", "Your out for a query whose mask row is all False "
                  "is the mean of v, a uniform softmax over scores all filled with the same large negative number "
                  "(-1e9): such a query attends to nothing, so its out is 0 and it passes no gradient.",
                  forward=lambda reference, q, k, v, mask=None: np.where(
                      _no_key(q, k, mask), v.mean(axis=1, keepdims=True),
                      reference.attention_forward(q, k, v, mask)[0])),
    layer_mistake(LAYER, "backward ignores the softmax's Jacobian", "Your dq and dk take dscores = dprobs, as if the "
                  "softmax were not there: dscores = probs * (dprobs - (probs * dprobs).sum(-1, keepdims=True)).",
                  gradients=(_dscores_as(lambda probs, dprobs, allowed: dprobs),
                             _dscores_as(lambda probs, dprobs, allowed: dprobs * allowed))),
    layer_mistake(LAYER, "softmax backward without the row-sum term", "Your dq and dk take dscores = probs * dprobs, "
                  "the Jacobian's diagonal only: every probability depends on every score of its row, so subtract "
                  "the row's sum, dscores = probs * (dprobs - (probs * dprobs).sum(-1, keepdims=True)).",
                  gradients=_dscores_as(lambda probs, dprobs, allowed: probs * dprobs)),
    function_mistake(CAUSAL, "causal mask aligned top-left", "Your mask is the top-left triangle, j <= i (PyTorch's "
                     "is_causal): the queries are the LAST Tq positions of Tk, so query i sees every key j <= "
                     "i + (Tk - Tq).", lambda reference, Tq, Tk=None: np.tri(Tq, Tk or Tq, dtype=bool),
                     cases=(OMITTED, LATER, ONE, FEWER)),
)

KATA = dataclasses.replace(layer_kata(
    LAYER, name="attention", title="causal mask and scaled dot-product attention with a boolean mask",
    mistakes=MISTAKES, extra=function_checks((CAUSAL,), CAUSAL_EDGES, prefix="causal_mask ", extra=(
        Check("causal_mask returns booleans", "shape", _booleans, needs=("causal_mask shape",)),)),
    hints=(
        "Three steps, each with its shape: scores (N, Tq, Tk), a softmax over the keys, a weighted sum of v. The "
        "mask acts on the scores, before the softmax; a query that may see no key is a row to treat apart.",
        "scores = q @ k.swapaxes(-1, -2) / sqrt(d); -inf where the mask is False; subtract each row's max (0 for a "
        "row of -inf), exp, divide by the row's sum (by 1 where it is 0); out = probs @ v. Backward: dv and dprobs "
        "from probs, dout and v, then the softmax's backward row by row, then dq and dk through the scaled product. "
        "causal_mask compares two aranges.",
        "dscores = probs * (dprobs - (probs * dprobs).sum(-1, keepdims=True)); dq = dscores @ k / sqrt(d), "
        "dk = dscores^T @ q / sqrt(d), dv = probs^T @ dout; causal_mask[i, j] = j <= i + (Tk - Tq).",
    )), functions=("causal_mask", "attention_forward", "attention_backward"))
