"""multihead_attention: multi-head self-attention with a boolean mask, forward and backward.

num_heads and the mask (None or booleans) are Case parameters, as attention's mask is. D <= 6 throughout (mostly
2 to 4), so that numerical gradients cover every element even of a learner's loops over heads. The mistakes' buggy
copies are built from the reference's private helpers (_split_heads, _merge_heads, _attention, _attention_backward).
"""
from itertools import combinations

import numpy as np

from grader.authoring.layer import Case, Edge, Layer, layer_kata, layer_mistake
from grader.checks.contrast import Feature

_WEIGHTS = ("w_q", "w_k", "w_v", "w_o")


def _case(name, n, t, d, heads, mask=None, make=None):
    return Case(name, {"x": (n, t, d), **{w: (d, d) for w in _WEIGHTS}}, {"num_heads": heads, "mask": mask}, make=make)


def _mask(seed, *empty):
    """Fixed booleans (N, T, T) = (2, 4, 4), about 60% True, every query some key but the (n, i) in `empty`."""
    mask = np.random.default_rng(seed).random((2, 4, 4)) < 0.6
    mask[..., seed % 4] = True
    for n, i in empty:
        mask[n, i] = False
    return mask


def _large(rng, shapes):
    """Scores of about +-7e3: every key shares a large component (x[..., 0] = 1, w_k[0] = 60), which query 0
    meets at about -80 in every head (every exp underflows without the max shift) and query 1 at +80 (overflow)."""
    arrays = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
    x = arrays["x"] = 0.3 * arrays["x"]
    x[..., 0], x[:, 0, 1], x[:, 1, 1] = 1.0, -2.0, 2.0
    arrays["w_q"][1], arrays["w_k"][0] = 40.0, 60.0
    return arrays


LAYER = Layer(
    forward="mha_forward", backward="mha_backward", inputs=("x", *_WEIGHTS), backward_twice=True,
    cases=(_case("no mask, 2 heads", 2, 3, 4, 2), _case("full mask (N, T, T), 3 heads", 2, 4, 6, 3, _mask(6))),
    edges=(
        Edge("one head (num_heads = 1)", _case("1 head", 2, 4, 3, 1),
             why="one head is attention over all D columns, scaled by sqrt(D) = sqrt(dh)"),
        Edge("heads of one column (num_heads = D)", _case("3 heads of one column", 2, 4, 3, 3),
             why="with num_heads = D every head has dh = 1 column, scaled by sqrt(1)"),
        Edge("num_heads not dividing D raises ValueError", _case("4 heads, D = 6", 2, 3, 6, 4),
             why="num_heads = 4, which does not divide D = 6,", raises="ValueError"),
        Edge("mask (T, T) broadcast over the batch", _case("causal mask (T, T)", 2, 4, 4, 2, np.tri(4, dtype=bool)),
             why="a (T, T) mask applies to every example and every head: broadcast it to (N, 1, T, T)"),
        Edge("padding mask (N, 1, T)", _case("padding mask (N, 1, T), lengths 4 and 2", 2, 4, 2, 2,
                                             np.arange(4) < np.array([[[4]], [[2]]])),
             why="a (N, 1, T) mask applies to every query and head of its example: broadcast it to (N, T, T), "
                 "then add the head axis after the batch axis"),
        Edge("query with no allowed key: out 0, no gradient",
             _case("queries with no allowed key", 2, 4, 2, 2, _mask(5, (0, 1), (1, 3))),
             why="a query whose mask row is all False gets 0 in every head (out row 0) and passes no gradient",
             clean="a query with no allowed key has no softmax (0/0): give it probabilities 0, e.g. divide by "
                   "np.where(total > 0, total, 1) after shifting its row by 0 instead of by -inf"),
        Edge("scores of +-1e4: finite, no warnings", _case("scores of +-1e4", 2, 3, 4, 2, make=_large),
             why="scores of +-1e4 must not overflow", gradients="reference",  # central differences lose the digits
             clean="subtract each query's largest allowed score before exp: every exponent is then <= 0"),
        Edge("N = 1", _case("one example", 1, 3, 4, 2), why="x is (1, T, D) and out is (1, T, D)"),
        Edge("T = 1", _case("one position", 2, 1, 2, 2),
             why="one position attends to itself only (probability 1): out = x @ w_v @ w_o"),
    ),
    # Every product below OpenBLAS's threading threshold (m*n*k < 262144): x @ w is 192 x 32 x 32.
    speed_case=_case("speed, causal mask", 4, 48, 32, 4, np.tri(48, dtype=bool)),
    dims={"x": "N T D", "out": "N T D"},
    features=(Feature("several heads", lambda case: case.params["num_heads"] > 1, negation="one head"),
              Feature("heads of several columns (dh > 1)",
                      lambda case: case.shapes["x"][2] > case.params["num_heads"], negation="heads of one column"),
              Feature("a mask is given", lambda case: case.params["mask"] is not None, negation="there is no mask")),
)


def _allowed(mask, x):
    return True if mask is None else np.broadcast_to(mask, (len(x), x.shape[1], x.shape[1]))[:, None]


def _qkv(reference, x, w_q, w_k, w_v, num_heads, split=None):
    """q, k and v split into heads (N, H, T, dh), by the reference or by `split`."""
    return [(split or reference._split_heads)(x @ w, num_heads) for w in (w_q, w_k, w_v)]


def _reshaped(split, merge):
    """The forward with heads split and/or merged by a reshape alone, (N, T, D) <-> (N, H, T, dh)."""
    def forward(reference, x, w_q, w_k, w_v, w_o, num_heads, mask=None):
        cut = (lambda a, h: a.reshape(len(a), h, a.shape[1], -1)) if split else None
        heads = reference._attention(*_qkv(reference, x, w_q, w_k, w_v, num_heads, cut), _allowed(mask, x))[0]
        return (heads.reshape(x.shape) if merge else reference._merge_heads(heads)) @ w_o
    return forward


def _strided(reference, x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    """Head h takes the columns h, h + H, h + 2H, ...: the reference with the weights' columns permuted."""
    p = np.arange(x.shape[-1]).reshape(-1, num_heads).T.ravel()
    return reference.mha_forward(x, w_q[:, p], w_k[:, p], w_v[:, p], w_o[p], num_heads, mask)[0]


def _dx_paths(kept):
    """dx from the paths through q, k and v in `kept` (indices 0, 1, 2) only; the weights' gradients right."""
    def gradients(reference, right, dout, x, w_q, w_k, w_v, w_o, num_heads, mask=None):
        q, k, v = _qkv(reference, x, w_q, w_k, w_v, num_heads)
        probs = reference._attention(q, k, v, _allowed(mask, x))[1]
        grads = reference._attention_backward(reference._split_heads(dout @ w_o.T, num_heads), q, k, v, probs)
        paths = [reference._merge_heads(g) @ w.T for g, w in zip(grads, (w_q, w_k, w_v))]
        return (sum(paths[i] for i in kept), *right[1:])
    return gradients


def _after_softmax(reference, x, w_q, w_k, w_v, w_o, num_heads, mask=None):
    q, k, v = _qkv(reference, x, w_q, w_k, w_v, num_heads)
    probs = reference._attention(q, k, v, True)[1] * _allowed(mask, x)
    return reference._merge_heads(probs @ v) @ w_o


def _nan_rows(reference, x, *weights, num_heads, mask=None):
    no_key = ~np.any(_allowed(mask, x), axis=-1)[:, 0, :, None] if mask is not None else False
    return np.where(no_key, np.nan, reference.mha_forward(x, *weights, num_heads, mask)[0])


MISTAKES = (
    layer_mistake(LAYER, "heads reshaped without a transpose", "Your heads come from reshaping (N, T, D) straight to "
                  "(N, num_heads, T, dh) (or back): that cuts each example's rows into pieces that mix positions and "
                  "heads. Reshape to (N, T, num_heads, dh), then transpose to (N, num_heads, T, dh); merge in reverse.",
                  forward=(_reshaped(True, True), _reshaped(True, False), _reshaped(False, True))),
    layer_mistake(LAYER, "scaled by sqrt(D) instead of sqrt(dh)", "Your scores are divided by sqrt(D): each head's "
                  "scores are a dot product of dh = D // num_heads columns, so divide by sqrt(dh).",
                  forward=lambda reference, x, w_q, *weights, num_heads, mask=None: reference.mha_forward(
                      x, w_q / np.sqrt(num_heads), *weights, num_heads, mask)[0]),
    layer_mistake(LAYER, "heads take every num_heads-th column", "Your head h takes the columns h, h + num_heads, "
                  "h + 2*num_heads, ... (a reshape to (N, T, dh, num_heads)): head h takes the contiguous columns "
                  "h*dh:(h+1)*dh, a reshape to (N, T, num_heads, dh), and goes back there in heads.",
                  forward=_strided),
    layer_mistake(LAYER, "dx misses a path through q, k or v", "Your dx leaves out some of the three paths from x: "
                  "x feeds the queries, the keys and the values, so dx = dq @ w_q.T + dk @ w_k.T + dv @ w_v.T (an "
                  "assignment where += was meant keeps only the last).",
                  gradients=tuple(_dx_paths(kept) for size in (1, 2) for kept in combinations(range(3), size))),
    layer_mistake(LAYER, "mask applied after the softmax", "Your probabilities are the softmax over every key, then "
                  "zeroed where the mask is False, so an allowed row no longer sums to 1: mask the scores (-inf) "
                  "before the softmax.", forward=_after_softmax),
    layer_mistake(LAYER, "query with no allowed key gives NaN", "Your out is NaN for a query whose mask row is all "
                  "False: its softmax is 0/0 (exp(-inf) everywhere, or -inf minus a max of -inf). Shift such a row "
                  "by 0 and divide by 1 where the sum is 0, so its heads, and its out row, are 0.", forward=_nan_rows),
)

KATA = layer_kata(
    LAYER, name="multihead_attention", title="multi-head self-attention with a boolean mask, forward and backward",
    mistakes=MISTAKES,
    hints=(
        "Three stages: project x to q, k and v; attention in every head at once, on (N, num_heads, T, dh) arrays; "
        "the heads put back side by side and projected by w_o. Backward walks them in reverse, and x feeds three.",
        "Split with a.reshape(N, T, H, dh).transpose(0, 2, 1, 3), merge with the inverse; give the mask a head "
        "axis (broadcast to (N, T, T), then [:, None]); each head is the attention kata's, scaled by sqrt(dh). "
        "Backward: dw_o and dheads from dout; attention's backward in every head; merge dq, dk and dv; each "
        "weight's gradient from x, and dx from all three.",
        "dw_o = heads_flat.T @ dout_flat; dscores = probs * (dprobs - (probs * dprobs).sum(-1, keepdims=True)); "
        "dq_h = dscores @ k_h / sqrt(dh), dk_h = dscores^T @ q_h / sqrt(dh), dv_h = probs^T @ dheads_h; "
        "dw_q = x_flat.T @ dq_flat (likewise dw_k, dw_v); dx = dq @ w_q.T + dk @ w_k.T + dv @ w_v.T.",
    ),
)
