"""kv_cache: causal multi-head self-attention for new positions only, a decoder's step with a key/value cache.

A run (grader.authoring.update_rule) is a loop of decode_step calls, each given the cache the call before returned
(opaque: it stays in the learner's process, and is never reused), x_new drawn at each call with chunks of
different sizes; the reference's out_new at each call is the last S rows of full causal mha (the PyTorch
cross-check, tests/test_reference_kv_cache_torch.py). Edge rows are runs of their own: a start with one token,
one head, a head per column. Sizes differ (N, chunk sizes, heads, dh) so that a wrong axis shows; dh != D, so
that a scale of sqrt(D) shows.
"""
import numpy as np

from grader.authoring.kata import Check, Kata, either_mistake
from grader.authoring.update_rule import Probe, Rule, UpdateRules, growth_speed, probe_row, raising_mistake, \
    rule_checks, rule_mistake
from grader.checks.returns import expect_raises


def _weights(rng, d, heads):
    """w_q, w_k, w_v, w_o ~ N(0, 1/D): q, k and the scores of x ~ N(0, 1) are of order 1, the softmax not saturated."""
    return {**{name: rng.standard_normal((d, d)) / np.sqrt(d) for name in ("w_q", "w_k", "w_v", "w_o")},
            "num_heads": heads}


def _chunks(n, d, *sizes):
    return tuple((n, s, d) for s in sizes)


DECODE = UpdateRules(
    (Rule("decode_step"),),
    arguments=("x_new", "w_q", "w_k", "w_v", "w_o", "num_heads"),
    once=lambda rng, shape: _weights(rng, shape[-1], shape[-1] // 4),  # dh = 4
    each_step=lambda rng, shape: {"x_new": rng.standard_normal(shape)},
    feeds=None, value="out_new", like="x_new", state="cache", opaque=True, unmodified="x_new and the weights",
    shape=(2, 5, 12), step_shapes=_chunks(2, 12, 5, 1, 2, 1), any_shape=(1, 3, 8),
)


def _run(label, seed, heads, *shapes):
    """A run of its own: the weights for `heads` heads, x_new at each of `shapes` in turn, from no cache."""
    return Probe("decode_step", label, seed,
                 lambda rng, shape: {**_weights(rng, shape[-1], heads), "x_new": rng.standard_normal(shape)}, shapes)


ONE_TOKEN_FIRST = _run("decode_step from one token, then 1, 2 and 1 more", "one token", 3, *_chunks(2, 12, 1, 1, 2, 1))
ONE_HEAD = _run("decode_step with num_heads = 1, D = 8", "one head", 1, *_chunks(1, 8, 3, 1, 2))
HEAD_PER_COLUMN = _run("decode_step with num_heads = D = 6 (dh = 1)", "head per column", 6, *_chunks(2, 6, 2, 1, 3))
RUNS = (ONE_TOKEN_FIRST, ONE_HEAD, HEAD_PER_COLUMN)


def _not_dividing(session):
    rng = session.rng("heads not dividing")
    arguments = {"x_new": rng.standard_normal((2, 3, 12)), **_weights(rng, 12, 5)}
    with session.about(what := "decode_step with num_heads = 5 and D = 12"):
        expect_raises(lambda: session.call("decode_step", *DECODE.ordered(arguments).values()), "ValueError", what)


# -- buggy copies: one small decoder with a switch per slip, its cache {"k", "v"} of (N, H, T, dh) --------

def _decoder(mask="bottom-right", history=True, scale="dh", split="transpose", store=True):
    def step(reference, x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
        (n, s, d), h = x_new.shape, num_heads
        if split == "transpose":
            def heads(a): return a.reshape(n, s, h, d // h).transpose(0, 2, 1, 3)
            def merge(a): return a.transpose(0, 2, 1, 3).reshape(n, s, d)
        else:  # straight into (N, H, S, dh) and back: positions and heads mixed up
            def heads(a): return a.reshape(n, h, s, d // h)
            def merge(a): return a.reshape(n, s, d)
        q, k, v = heads(x_new @ w_q), heads(x_new @ w_k), heads(x_new @ w_v)
        if cache is not None and history:
            k, v = np.concatenate([cache["k"], k], axis=2), np.concatenate([cache["v"], v], axis=2)
        t = k.shape[2]
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(d // h if scale == "dh" else d)
        offset = {"bottom-right": t - s, "top-left": 0, "none": t, "first call": 0 if cache is None else t}[mask]
        scores = np.where(np.arange(t) <= np.arange(s)[:, None] + offset, scores, -np.inf)
        probs = np.exp(scores - scores.max(axis=-1, keepdims=True))
        out = merge(probs / probs.sum(axis=-1, keepdims=True) @ v) @ w_o
        return out, {"k": k, "v": v} if store or cache is None else cache
    return step


def _mistake(name, explanation, **slip):
    return rule_mistake(DECODE, name, explanation, {"decode_step": _decoder(**slip)}, probes=RUNS)


MISTAKES = (
    raising_mistake(DECODE, "cache grown along the wrong axis",
                    "Your second call fails to join 5 cached positions to 1 new one: np.concatenate joined the keys "
                    "on another axis than time (without axis=, it joins on axis 0, the batch). New keys and values "
                    "go after the cached ones on the time axis: axis=1 of (N, T, D), axis=2 of (N, H, T, dh).",
                    "default", "ValueError", says=r"concatenation axis.* size 5 and .* size 1\b"),
    _mistake("causal mask aligned top-left",
             "In a chunk of S new positions after T - S cached ones, your query i attends to keys 0..i only: "
             "np.tril of an (S, T) array aligns the mask top-left. New row i is position T - S + i: it sees key j "
             "when j <= i + (T - S).", mask="top-left"),
    either_mistake("no causal mask within a chunk",
                   "The new positions of a chunk attend to the ones after them: only one token at a time needs no "
                   "mask. Mask every chunk, the prompt too: new row i sees key j when j <= i + (T - S).",
                   _mistake("", "", mask="none"), _mistake("", "", mask="first call")),
    _mistake("only the new keys attended",
             "Your new positions attend to their own chunk only, as if the sequence started there: attend over "
             "the cached keys and values and the new ones, joined on the time axis.", history=False),
    _mistake("scaled by sqrt(D)",
             "Your scores are divided by sqrt(D), the model width: each head's are divided by sqrt(dh), "
             "dh = D // num_heads, the size of the vectors it multiplies.", scale="D"),
    _mistake("heads split by a reshape without transpose",
             "(N, S, D) reshaped straight to (N, H, S, dh) mixes positions and heads: reshape to (N, S, H, dh), "
             "then transpose to (N, H, S, dh); back the same way.", split="reshape"),
    _mistake("cache not updated after the first call",
             "Your cache keeps the first call's keys and values only: each later call joins its own to them but "
             "returns the cache it was given, so the next call misses them. Return the joined keys and values.",
             store=False),
)

KATA = Kata(
    name="kv_cache",
    title="a decoder's step with a key/value cache: causal multi-head attention for new positions only",
    functions=DECODE.names,
    checks=rule_checks(DECODE, extra=(
        probe_row(DECODE, "starting with one token", ONE_TOKEN_FIRST),
        probe_row(DECODE, "num_heads = 1", ONE_HEAD),
        probe_row(DECODE, "num_heads = D", HEAD_PER_COLUMN),
        Check("num_heads not dividing D raises ValueError", "edge", _not_dividing),
    )),
    speed=growth_speed(DECODE, "decode_step", (1, 1, 8), lambda n: ((1, n, 8),), (16, 128),
                       "a one-token decode_step after {n} positions (N = 1, D = 8, 2 heads)", "positions"),
    hints=(
        "Causal attention never lets a position look ahead, so the keys and values of earlier positions are the "
        "same at every call: keep them in the cache and compute q, k and v for x_new only.",
        "Project x_new, split each of q, k, v into heads, join the cached keys and values before the new ones on "
        "the time axis, attend with the new queries over all T positions, merge the heads, apply w_o, and return "
        "the joined keys and values as the cache.",
        "scores = q_h @ k_h^T / sqrt(dh), (N, H, S, T); new row i is position T - S + i and sees key j when "
        "j <= i + (T - S) (masked scores -inf before the softmax); out_new = merged(probs @ v_h) @ w_o.",
    ),
    mistakes=MISTAKES,
)
