"""sampling: temperature, top-k and top-p over logits (sampling_probs by value), and sample graded statistically.

sampling_probs is a function of its inputs, checked by value on the functions template, with edge rows for each rule
the docstring states (top-k ties, the token crossing top_p, top-p ties, temperature 0, 1e4 logits, what raises).
sample is random: its tokens are never compared with the reference's (grader.authoring.statistical). Instead: every
token drawn has nonzero probability (exact, never fails a correct answer); neighbouring identical rows draw the same
likeliest token no more often than independent draws could (expect_independent, against the learner's own frequency:
a wrong distribution is the frequencies row's business); each token's frequency over 10000 identical rows is
within Hoeffding's band (2 configurations x 6 tokens). 12 tests at 1e-8 and one at 2e-8: a correct answer fails a
grading run with probability below 2e-7 (the "other seed" row's 200 draws of 8 tokens coincide with a chance below
1e-60).
"""
from __future__ import annotations

import numpy as np

from grader.authoring.functions import Edge, Function, Inputs, Value, expected, function_checks, function_mistake, \
    values
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.authoring.statistical import SHAPE_ROW, Edge as DrawEdge, Event, Sampler, expect_fraction, \
    expect_independent, global_rng_mistake, sample, sampler_speed, statistical_checks
from grader.checks.compare import agree
from grader.checks.mistakes import matches
from grader.checks.returns import tried
from grader.checks.session import Session


def _probs(logits, temperature=1.0, top_k=None, top_p=None, k_exact="", crossing=True, keep_first=True, stable=True,
           renormalise=True, p_before_temperature=False, multiply=False):
    """sampling_probs, right by default; each keyword makes one known mistake (for their buggy copies)."""
    n, v = logits.shape
    z = logits * temperature if multiply else logits / temperature
    if top_k is not None:
        k = min(top_k, v)
        if k_exact:  # exactly k kept by an argsort: ties cut by index (ascending argsort: the higher index kept)
            order = np.argsort(z, axis=1, kind="stable")[:, -k:] if k_exact == "high" else \
                np.argsort(-z, axis=1, kind="stable")[:, :k]
            kept = np.zeros(z.shape, dtype=bool)
            np.put_along_axis(kept, order, True, axis=1)
        else:
            kept = z >= np.sort(z, axis=1)[:, v - k, None]
        z = np.where(kept, z, -np.inf)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    if top_p is not None:
        nucleus = _probs(logits, 1.0, top_k) if p_before_temperature else probs
        order = np.argsort(-nucleus, axis=1, kind="stable") if stable else np.argsort(nucleus, axis=1)[:, ::-1]
        ordered = np.take_along_axis(nucleus, order, axis=1)
        cumulative = np.cumsum(ordered, axis=1)
        keep_ordered = cumulative - ordered < top_p if crossing else cumulative <= top_p
        keep_ordered[:, 0] |= keep_first  # without it a row whose top token alone crosses top_p keeps nothing (NaN)
        keep = np.empty(order.shape, dtype=bool)
        np.put_along_axis(keep, order, keep_ordered, axis=1)
        probs = np.where(keep, probs, 0.0)
        if renormalise:
            with np.errstate(invalid="ignore"):  # 0/0 in the rows an empty nucleus leaves, as the mistake gives
                probs = probs / probs.sum(axis=1, keepdims=True)
    return probs


def _random(label: str, shape, **keywords) -> Inputs:
    return Inputs(f"logits {shape[0]}x{shape[1]}, {label}", lambda rng: {"logits": 2 * rng.standard_normal(shape)},
                  keywords)


def _fixed(label: str, rows, **keywords) -> Inputs:
    return Inputs(label, {"logits": np.array(rows, dtype=np.float64)}, keywords)


PROBS = Function("sampling_probs", (Value("probs", "logits"),), (
    _random("temperature 1", (6, 10)), _random("temperature 0.7, top_k 4", (6, 10), temperature=0.7, top_k=4),
    _random("temperature 1.5, top_p 0.8", (5, 12), temperature=1.5, top_p=0.8),
    _random("temperature 0.8, top_k 5, top_p 0.7", (7, 9), temperature=0.8, top_k=5, top_p=0.7)))
K_TIES = _fixed("logits [[1, 3, 2, 2, 0], [0, 0, 0, 1, -1]], top_k 2 (3 and 4 tokens tied with the 2nd highest)",
                [[1, 3, 2, 2, 0], [0, 0, 0, 1, -1]], top_k=2)
CROSSING = (_fixed("probabilities [0.5, 0.3, 0.2], top_p 0.6 (the 2nd token crosses 0.6)",
                   np.log([[0.5, 0.3, 0.2], [0.2, 0.5, 0.3]]), top_p=0.6),
            _fixed("probabilities [0.5, 0.3, 0.2], top_p 0.05", np.log([[0.5, 0.3, 0.2]]), top_p=0.05),
            _fixed("probabilities [0.5, 0.3, 0.2], top_p 1.0", np.log([[0.5, 0.3, 0.2]]), top_p=1.0))
P_TIES = _fixed("probabilities [0.4, 0.3, 0.3] and [0.3, 0.3, 0.4], top_p 0.6 (of tied tokens the lower index first)",
                np.log([[0.4, 0.3, 0.3], [0.3, 0.3, 0.4]]), top_p=0.6)
GREEDY = _fixed("logits [[1, 3, 3, 2, 0], [5, -1, 5, 0, 0]], temperature 0", [[1, 3, 3, 2, 0], [5, -1, 5, 0, 0]],
                temperature=0.0, top_k=3)
LARGE = _fixed("logits of +-1e4, temperature 0.5, top_k 3, top_p 0.9", [[1e4, -1e4, 3, 3], [-1e4, -1e4, 1e4, 1e4]],
               temperature=0.5, top_k=3, top_p=0.9)
# top_k above V: k = min(top_k, V) keeps every token (np.sort(z)[:, -top_k] would raise, z[:, V - top_k] wrap around).
K_ABOVE_V = _fixed("logits [[0.5, -1, 2, 0], [3, 1, 1, -2]], top_k 9 > V = 4", [[0.5, -1, 2, 0], [3, 1, 1, -2]],
                   top_k=9)
BAD = tuple(_fixed(f"logits 2x3, {label}", np.zeros((2, 3)), **keywords) for label, keywords in (
    ("temperature -1", {"temperature": -1.0}), ("top_k 0", {"top_k": 0}), ("top_p 0", {"top_p": 0.0}),
    ("top_p 1.5", {"top_p": 1.5})))
EDGES = (
    Edge("top-k keeps every tie of the k-th logit", (("sampling_probs", K_TIES),)),
    Edge("top_k above V keeps every token", (("sampling_probs", K_ABOVE_V),)),
    Edge("top-p keeps the token that crosses top_p", tuple(("sampling_probs", inputs) for inputs in CROSSING)),
    Edge("top-p ties: lower index first", (("sampling_probs", P_TIES),)),
    Edge("temperature 0 is the argmax", (("sampling_probs", GREEDY),), clean="temperature 0 is greedy: return the "
         "one-hot argmax without dividing by 0"),
    Edge("logits of 1e4: finite, no warnings", (("sampling_probs", LARGE),), clean="subtract each row's maximum "
         "before exp"),
    Edge("invalid temperature, top_k or top_p raise ValueError", tuple(("sampling_probs", bad) for bad in BAD),
         raises="ValueError"),
    Edge("1-D logits raise ValueError", (("sampling_probs", _fixed("1-D logits of shape (5,)", np.zeros(5))),),
         raises="ValueError"),
)
EDGE_CASES = (K_TIES, *CROSSING, P_TIES, LARGE)

# -- sample: statistical rows ----------------------------------------------------

SAMPLER = Sampler("sample", lambda rng: (rng.standard_normal((200, 8)), 1.0, None, None),
                  lambda logits, t, k, p: f"logits {logits.shape[0]}x{logits.shape[1]}, temperature {t}, top_k {k}, "
                                          f"top_p {p}", draw="tokens", shape=lambda logits, *_: (len(logits),),
                  cases=(lambda rng: (rng.standard_normal((50, 7)), 0.9, 3, 0.8),
                         lambda rng: (rng.standard_normal((1, 4)), 1.0, None, None)))
ROWS = 10000
#: The frequency rows' configurations, each one row of 6 logits repeated ROWS times (the first kept tokens 0 to 2).
CONFIGS = ((np.array([2.0, 1.5, 1.0, 0.5, 0.0, -0.5]), 0.8, 4, 0.9), (np.array([1.0, 0.2, -0.3, 0.6, -1.0, 0.0]), 1.3,
                                                                      None, None))


def _repeated(session: Session, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(the reference's probabilities of CONFIGS[index], the learner's tokens for its row repeated ROWS times)."""
    row, *options = CONFIGS[index]
    logits = np.tile(row, (ROWS, 1))
    return session.memo(("repeated", index), lambda: (
        session.reference_call("sampling_probs", row[None], *options)[0],
        sample(session, SAMPLER, (logits, *options), 20 + index)[0]))


def _integers(tokens: np.ndarray, label: str) -> None:
    if not np.issubdtype(tokens.dtype, np.integer):
        raise CheckFailed(f"{label}: tokens should be integer token ids; got dtype {tokens.dtype}")


def _support(session: Session) -> None:
    for t, k, p in ((0.7, 3, None), (1.2, None, 0.6), (1.0, 4, 0.7)):
        logits = 2 * session.rng("support", t).standard_normal((2000, 8))
        tokens = sample(session, SAMPLER, (logits, t, k, p), 7)[0]
        label = SAMPLER.label(logits, t, k, p)
        _integers(tokens, label)
        probs = session.reference_call("sampling_probs", logits, t, k, p)
        bad = np.flatnonzero((tokens < 0) | (tokens >= 8))
        if bad.size:
            raise CheckFailed(f"{label}: row {bad[0]} drew token {tokens[bad[0]]}, not a token id in [0, 8)")
        zero = np.flatnonzero(probs[np.arange(len(tokens)), tokens] == 0)
        if zero.size:
            raise CheckFailed(f"{label}: row {zero[0]} drew token {tokens[zero[0]]}, of probability 0 there "
                              f"(filtered out by top_k or top_p): draw from sampling_probs's distribution")


def _independent(session: Session) -> None:
    """Neighbouring rows draw the likeliest token together no more often than independent rows could, with the
    frequency estimated from the learner's own tokens: a wrong distribution (the frequencies row's business) is not
    taken for dependence. A shared random number makes identical rows agree always."""
    probs, tokens = _repeated(session, 1)
    label, advice = SAMPLER.label(np.zeros((ROWS, 6)), *CONFIGS[1][1:]) + ", one row repeated", \
        "draw one random number per row (rng.random(N)), shared with no other row"
    if len(set(tokens.tolist())) == 1:  # no frequency to estimate; independent rows agree so with chance < 1e-1000
        raise CheckFailed(f"{label}: all {ROWS} rows drew token {tokens[0]}, of probability {probs[tokens[0]]:.3g}: "
                          f"{advice}")
    token = int(np.argmax(probs))
    event = Event("rows", f"drew token {token}", f"alike (both drew token {token} or neither)")
    expect_independent(tokens == token, label, event, advice, ("rows",))


def _frequencies(session: Session) -> None:
    for index in range(len(CONFIGS)):
        probs, tokens = _repeated(session, index)
        for token, p in enumerate(probs):
            expect_fraction(tokens == token, float(p), SAMPLER.label(np.zeros((ROWS, 6)), *CONFIGS[index][1:]) +
                            f", one row {np.round(CONFIGS[index][0], 2).tolist()} repeated",
                            Event("rows", f"drew token {token}", ""))


DRAW_EDGES = (
    DrawEdge("temperature 0 and top_k = 1 draw the argmax", SAMPLER,
             (lambda rng: (rng.standard_normal((30, 6)), 0.0, None, None),
              lambda rng: (rng.standard_normal((30, 6)), 1.0, 1, None)),
             expected=lambda logits, *_: np.argmax(logits, axis=1), why="the argmax of each row, whatever the rng"),
    DrawEdge("sample: a negative temperature raises ValueError", SAMPLER,
             (lambda rng: (rng.standard_normal((3, 4)), -0.5, None, None),), raises="ValueError",
             why="temperature -0.5"),
)


def _exactly_k(session: Session) -> bool:
    """Right on the random cases (no ties there); on K_TIES exactly k tokens kept, whichever of the tied ones (an
    argsort's order of ties is numpy's choice), with the softmax over them."""
    answers = [tried(lambda: values(session, PROBS, inputs)["probs"]) for inputs in (*PROBS.cases, K_TIES)]
    if any(got is None for got in answers) or not all(
            agree(expected(session, PROBS, inputs)["probs"], got) for inputs, got in zip(PROBS.cases, answers)):
        return False
    got = answers[-1]
    logits, kept = K_TIES.arguments["logits"], got > 0
    mistaken = np.where(kept, np.exp(logits), 0.0) / np.sum(np.where(kept, np.exp(logits), 0.0), axis=1, keepdims=True)
    return bool(np.all(kept.sum(axis=1) == 2)) and matches([(mistaken, got, expected(session, PROBS, K_TIES)["probs"])])


def _mistake(name: str, explanation: str, **wrong) -> KnownMistake:
    return function_mistake(PROBS, name, explanation, lambda reference, logits, **keywords: _probs(
        logits, **keywords, **wrong), cases=EDGE_CASES)


MISTAKES = (
    KnownMistake("top-p drops the token that crosses top_p",
                 "You keep a token while the cumulative mass INCLUDING it is <= top_p, so the token that crosses "
                 "top_p is dropped: keep it when the mass strictly before it is < top_p (cumsum - p < top_p).",
                 # with or without the most likely token kept always (without: rows of NaN when it alone crosses)
                 lambda session: any(_mistake("", "", crossing=False, keep_first=first).detect(session)
                                     for first in (True, False))),
    KnownMistake("top-k keeps exactly k tokens",
                 "You keep exactly k token indices from an argsort, cutting ties with the k-th logit by index: "
                 "keep every token whose logit is >= the k-th highest (Hugging Face's `< kth_value` filter).",
                 lambda session: _exactly_k(session)),
    _mistake("top-p before temperature",
             "Your nucleus is chosen on softmax(logits) before the temperature: divide by the temperature first, then "
             "choose the nucleus on the tempered probabilities (Hugging Face's order).", p_before_temperature=True),
    _mistake("logits multiplied by the temperature",
             "Your logits are multiplied by the temperature: divide them, z = logits / temperature, so that a "
             "temperature below 1 sharpens the distribution and one above 1 flattens it.", multiply=True),
    _mistake("not renormalised after top-p",
             "Your rows do not sum to 1 after top-p: divide the kept probabilities by their sum.", renormalise=False),
    _mistake("top-p ties to the higher index",
             "Among tokens of equal probability your nucleus takes the higher index first (argsort(p)[::-1] reverses "
             "ties): sort descending with a stable sort, argsort(-p, kind='stable').", stable=False),
    KnownMistake("one random number for every row",
                 "All your identical rows drew the same token: one uniform number (or one Gumbel noise vector) serves "
                 "every row. Draw one per row, rng.random(N) (or rng.gumbel(size=(N, V))).",
                 lambda session: len(set(_repeated(session, 1)[1].tolist())) == 1),
    global_rng_mistake((SAMPLER,), "tokens drawn from the global np.random",
                       "Your tokens come from np.random's global state (np.random.choice, np.random.rand...) although "
                       "an rng is given: draw from it (rng.random, rng.choice), so that a seed reproduces the tokens."),
)

KATA = Kata(
    name="sampling",
    title="temperature, top-k and top-p sampling, the sampler graded statistically",
    functions=("sampling_probs", "sample"),
    checks=function_checks((PROBS,), EDGES, prefix="sampling_probs ") + statistical_checks((SAMPLER,), (
        Check("only tokens of nonzero probability drawn", "value", _support, needs=(SHAPE_ROW,)),
        Check("rows drawn independently", "value", _independent, needs=(SHAPE_ROW,)),
        Check("token frequencies match probs", "value", _frequencies, needs=(SHAPE_ROW, "rows drawn independently")),
    ), DRAW_EDGES),
    speed=sampler_speed(SAMPLER, "sample on logits 200x50, temperature 0.8, top_k 20, top_p 0.9",
                        lambda rng: (rng.standard_normal((200, 50)), 0.8, 20, 0.9)),
    hints=(
        "Do the steps in order: temperature, top-k, softmax, top-p, renormalise; temperature 0 is a special case. "
        "Then sample draws one token per row from those probabilities, with the rng it is given.",
        "Top-k: compare each logit with the k-th highest (np.partition or np.sort) so ties stay. Top-p: sort the "
        "probabilities descending with a stable sort, take the cumulative sum, keep tokens whose mass BEFORE them is "
        "< top_p, scatter the mask back. Sample by inverse CDF: one rng.random() per row against the cumulative sum.",
        "kth = np.sort(z)[:, V-k]; z[z < kth] = -inf; p = softmax(z); o = argsort(-p, kind='stable'); "
        "keep = cumsum(p[o]) - p[o] < top_p; token = argmax(cumsum(p) > u * cumsum(p)[-1]).",
    ),
    mistakes=MISTAKES,
)
