"""beam_search: beam search over a step function, judged by its tokens (exactly) and score.

The step functions are picklable classes of grader/sandbox/trusted/step_functions.py (deterministic log-probs per
prefix), handed to the learner's beam_search as arguments. Random ones (seeded per run) are compared with the
reference; with beam_width >= V**max_len nothing is pruned and the answer must be the best of all sequences, found
here by exhaustive search, independently of the reference; width 1 must be greedy decoding, computed here too. Small
tables show one rule each: the beam beating greedy, eos ending hypotheses early, length normalisation changing the
winner. tokens is an "ints" value of the functions template (exact, its length the data's), score a scalar; the rows
judge the pair together, tokens first (a wrong sequence makes its score wrong too, which says nothing more). A known
mistake is a buggy copy (`_beam` with one flag), matched on every case.
"""
from __future__ import annotations

import itertools
from typing import Callable

import numpy as np

from grader.authoring.functions import Function, Inputs, Value, arguments, expected, function_mistake, returned, values
from grader.authoring.kata import Check, CheckFailed, Kata
from grader.checks.compare import compare_arrays
from grader.checks.returns import expect_raises
from grader.checks.session import Session
from grader.checks.speed import time_calls
from grader.sandbox.trusted.step_functions import RandomStep, TableStep


NAMES = ("step_fn", "bos", "eos", "beam_width", "max_len", "length_norm")


def Case(label: str, make: Callable[[np.random.Generator], tuple]) -> Inputs:
    """One call: make(rng) -> (step_fn, bos, eos, beam_width, max_len, length_norm)."""
    return Inputs(label, lambda rng: dict(zip(NAMES, make(rng))))


def _random(vocab: int, width: int, max_len: int, norm: bool = False, bias: float = 0.5, bos: int = 7) -> Case:
    return Case(f"a random step function of {vocab} tokens (eos 0, bias {bias:+}), beam_width {width}, max_len "
                f"{max_len}, length_norm {norm}", lambda rng: (RandomStep(vocab, int(rng.integers(1 << 30)), 0, bias),
                                                               bos, 0, width, max_len, norm))


def _table(label: str, table: dict, default: tuple, width: int, max_len: int, norm: bool = False) -> Case:
    return Case(f"{label}, beam_width {width}, max_len {max_len}, length_norm {norm}",
                lambda rng: (TableStep(table, default), 3, 0, width, max_len, norm))


RANDOM = (_random(5, 3, 6), _random(6, 3, 7, norm=True), _random(4, 2, 5, bias=-3.0), _random(5, 4, 6, True, 1.0))
EXHAUSTIVE = (_random(3, 27, 3), _random(3, 27, 3, norm=True), _random(2, 16, 4, norm=True, bias=0.0))
GREEDY = (_random(5, 1, 6), _random(4, 1, 8, bias=-1.0))
BEATS_GREEDY = _table("step probabilities (eos, 1, 2): (0.02, 0.5, 0.48) first, (0.02, 0.9, 0.08) after 2 (greedy "
                      "takes 1, 1: 0.25; the beam finds 2, 1: 0.43)", {(): (0.02, 0.5, 0.48), (1,): (0.02, 0.5, 0.48),
                                                                        (2,): (0.02, 0.9, 0.08)}, (0.4, 0.3, 0.3), 2, 2)
EARLY = (_table("step probabilities (eos, 1, 2): (0.6, 0.3, 0.1) first, then (0.3, 0.4, 0.3) (eos at once is best)",
                {(): (0.6, 0.3, 0.1)}, (0.3, 0.4, 0.3), 2, 4),
         _table("step probabilities (eos, 1, 2): (0.45, 0.54, 0.01) first, (0.01, 0.5, 0.49) after 1, (0.01, 0.98, "
                "0.01) after 1, 2 (eos at once leaves the beam, which keeps 1, 1 and 1, 2)",
                {(): (0.45, 0.54, 0.01), (1,): (0.01, 0.5, 0.49), (1, 2): (0.01, 0.98, 0.01),
                 (1, 1): (0.34, 0.33, 0.33)},
                (0.01, 0.98, 0.01), 2, 3, True),
         _random(5, 3, 8, bias=1.5), _random(4, 2, 6, True, 1.0))
_LONGER = {(): (0.4, 0.55, 0.05), (1,): (0.6, 0.2, 0.2)}
LONGER = tuple(_table("step probabilities (eos, 1, 2): (0.4, 0.55, 0.05) first, (0.6, 0.2, 0.2) after 1 ([eos]: "
                      "log 0.4 = -0.92; [1, eos]: -1.11, or -0.55 per token)", _LONGER, (0.34, 0.33, 0.33), 2, 3, norm)
               for norm in (False, True))
SHORTEST = (_random(6, 2, 1), _random(6, 3, 1, norm=True))
BAD = (Case("beam_width 0", lambda rng: (RandomStep(4, 1), 7, 0, 0, 3, False)),
       Case("max_len 0", lambda rng: (RandomStep(4, 1), 7, 0, 2, 0, False)))
JUDGED = RANDOM + EXHAUSTIVE + GREEDY + (BEATS_GREEDY,) + EARLY + LONGER + SHORTEST


def _beam(step_fn, bos, eos, width, max_len, norm=False, eos_ends=True, expand_finished=False, per_beam=False,
          norm_pruning=False, count_bos=False, multiply=False, short=False, drop_live=False):
    """beam_search, right by default; each keyword makes one known mistake (for their buggy copies)."""
    beams, finished = [([bos], 1.0 if multiply else 0.0)], []
    for step in range(1, max_len + (0 if short else 1)):
        prefixes, scores = [], []
        for prefix, score in beams:
            log_probs = np.asarray(step_fn(prefix), dtype=np.float64)
            if per_beam:  # each beam's own best tokens, the beams one after another, no ranking over all
                tokens = list(np.argsort(-log_probs, kind="stable")[:width])
            else:
                tokens = range(len(log_probs))
            prefixes += [prefix + [int(token)] for token in tokens]
            if multiply:
                scores += [score * np.exp(log_probs[token]) for token in tokens]
            elif norm_pruning and norm:  # the beam holds normalised scores, and the next log-prob is added to them
                scores += [(score + log_probs[token]) / step for token in tokens]
            else:
                scores += [score + log_probs[token] for token in tokens]
        order = range(width) if per_beam else np.argsort(-np.array(scores), kind="stable")[:width]
        beams = []
        for index in order:
            if index >= len(prefixes):
                break
            hypothesis = (prefixes[index], float(scores[index]))
            if eos_ends and prefixes[index][-1] == eos:
                finished.append(hypothesis)
                if expand_finished:
                    beams.append(hypothesis)
            else:
                beams.append(hypothesis)
        if not beams:
            break
    if drop_live:  # the live ones at max_len do not count, unless nothing finished
        finished = finished or beams
    else:
        finished += [beam for beam in beams if not (expand_finished and beam[0][-1] == eos)]

    def final(hypothesis):
        tokens, score = hypothesis
        if norm and not norm_pruning:
            return score / (len(tokens) - (0 if count_bos else 1))
        return score
    best = max(finished, key=final)
    return best[0], final(best)


def _exhaustive(step_fn, bos, eos, width, max_len, norm=False):
    """The best of all hypotheses: every sequence of up to max_len tokens ending at its first eos, or of max_len."""
    vocab, best = len(step_fn([bos])), None
    for length in range(1, max_len + 1):
        for tokens in itertools.product(range(vocab), repeat=length):
            if eos in tokens[:-1] or (length < max_len and tokens[-1] != eos):
                continue
            prefix = [bos, *tokens]
            score = sum(float(step_fn(prefix[:i])[prefix[i]]) for i in range(1, len(prefix)))
            score = score / length if norm else score
            if best is None or score > best[1]:
                best = (prefix, score)
    return best


def _greedy(step_fn, bos, eos, width, max_len, norm=False):
    prefix, score = [bos], 0.0
    while len(prefix) <= max_len and (len(prefix) == 1 or prefix[-1] != eos):
        log_probs = step_fn(prefix)
        prefix.append(int(np.argmax(log_probs)))
        score += float(log_probs[prefix[-1]])
    return prefix, score / (len(prefix) - 1) if norm else score


# -- calls and comparisons ---------------------------------------------------------

BEAM = Function("beam_search", (Value("tokens", kind="ints", listed=True), Value("score")), RANDOM)


def _args(session: Session, case: Inputs) -> tuple:
    return tuple(arguments(session, case).values())


def _expect(session: Session, case: Inputs, right: tuple, why: str = "") -> None:
    got, (want, want_score) = values(session, BEAM, case), right
    where = f"{why}{case.label}"
    if got["tokens"] != list(want):
        raise CheckFailed(f"{where}: tokens {got['tokens']}, expected {list(want)}" + (
            " (bos must come first)" if got["tokens"][:1] != list(want[:1]) else ""))
    mismatch = compare_arrays("score", np.array(want_score), np.array(got["score"]), 1.0)
    if mismatch:
        raise CheckFailed(f"{where}: the tokens are right; {mismatch.describe()}" + (
            ": with length_norm the score is the sum divided by len(tokens) - 1" if _args(session, case)[5]
            else ": the score is the sum of the generated tokens' log-probs"))


def _against(reference: Callable, cases: tuple[Inputs, ...], why: str = "") -> Callable[[Session], None]:
    def run(session: Session) -> None:
        for case in cases:
            _expect(session, case, reference(session, case), why)
    return run


def _reference(session: Session, case: Inputs) -> tuple:
    return tuple(expected(session, BEAM, case).values())


def _raises(session: Session) -> None:
    for case in BAD:
        expect_raises(lambda: returned(session, "beam_search", case, about=False), "ValueError", case.label)


def _deterministic(session: Session) -> None:
    first, again = (values(session, BEAM, RANDOM[0], repeat=repeat) for repeat in (0, 1))
    if again != first:
        raise CheckFailed(f"{RANDOM[0].label}: two calls gave {tuple(first.values())} and then "
                          f"{tuple(again.values())}")


def _mistake(name: str, explanation: str, **wrong):
    return function_mistake(BEAM, name, explanation, lambda reference, *args: _beam(*args, **wrong),
                            JUDGED[len(RANDOM):])


SHAPE = "returns (tokens, score)"
MISTAKES = (
    _mistake("finished beams expanded again",
             "Your hypotheses ending in eos stay in the beam and are expanded again, taking slots from live ones: a "
             "finished hypothesis leaves the beam (keep it aside, among the finished).", expand_finished=True),
    _mistake("pruning per beam",
             "You keep each beam's own best tokens, beam after beam, instead of ranking all beam_width * V "
             "candidates together by their scores and keeping the beam_width best.", per_beam=True),
    _mistake("length normalisation applied when pruning",
             "Your beam holds scores already divided by the length, and adds the next log-prob to them: keep raw sums "
             "in the beam, and divide by the length only when choosing the final hypothesis.", norm_pruning=True),
    _mistake("length normalisation counts bos",
             "You divide by len(tokens), bos included: the length is the number of GENERATED tokens, "
             "len(tokens) - 1.", count_bos=True),
    _mistake("probabilities multiplied",
             "Your score is a product of probabilities: add log-probabilities instead (a product underflows to 0 on "
             "long sequences, and the score is the sum of log-probs).", multiply=True),
    _mistake("eos does not end a hypothesis",
             "Your hypotheses go on after eos: a candidate ending in eos is finished, leaves the beam and competes "
             "with the others at the end.", eos_ends=False),
    _mistake("max_len counts bos",
             "Your search stops one token early, as if max_len counted bos: max_len is the number of GENERATED "
             "tokens, so a hypothesis that never meets eos ends with len(tokens) == max_len + 1.", short=True),
    _mistake("live hypotheses at max_len dropped",
             "Your search returns the best FINISHED hypothesis and ignores those still live at max_len: when "
             "max_len is reached, the live hypotheses count as finished and compete with the others.", drop_live=True),
)

KATA = Kata(
    name="beam_search",
    title="beam search over a step function: eos, length normalisation, width 1 is greedy",
    functions=("beam_search",),
    checks=(
        Check(SHAPE, "shape", lambda session: values(session, BEAM, RANDOM[0]) and None),
        Check("tokens and score", "value", _against(_reference, RANDOM), needs=(SHAPE,)),
        Check("beam_width >= V**max_len: the best of all sequences", "value", _against(
            lambda session, case: _exhaustive(*_args(session, case)), EXHAUSTIVE,
            "nothing is pruned at this width, so the answer is the best of all sequences: "), needs=(SHAPE,)),
        Check("beam_width 1 is greedy decoding", "edge", _against(
            lambda session, case: _greedy(*_args(session, case)), GREEDY, "greedy decoding: "), needs=(SHAPE,)),
        Check("the beam finds what greedy misses", "edge", _against(_reference, (BEATS_GREEDY,)), needs=(SHAPE,)),
        Check("eos ends a hypothesis", "edge", _against(_reference, EARLY), needs=(SHAPE,)),
        Check("length normalisation changes the winner", "edge", _against(_reference, LONGER), needs=(SHAPE,)),
        Check("max_len 1", "edge", _against(_reference, SHORTEST), needs=(SHAPE,)),
        Check("beam_width < 1 or max_len < 1 raises ValueError", "edge", _raises),
        Check("deterministic", "behaviour", _deterministic, needs=(SHAPE,)),
    ),
    speed=lambda session: time_calls(session, "beam_search over 30 tokens, beam_width 3, max_len 6", [
        ("beam_search", (RandomStep(30, 5, 0, -1.0), 31, 0, 3, 6), {})]),
    hints=(
        "Keep a list of live hypotheses (prefix, sum of log-probs) and a list of finished ones; each step expands "
        "every live one by every token and keeps the beam_width best candidates over all of them.",
        "Per step: build all candidates beam by beam, token by token; sort them by score with a stable sort, keep "
        "beam_width; those ending in eos go to the finished list, the rest form the next beam. After max_len steps "
        "the live ones count as finished; pick the best, dividing by len(tokens) - 1 only then if length_norm.",
        "scores = concatenate([s + step_fn(p) for p, s in beams]); "
        "best = argsort(-scores, kind='stable')[:beam_width]; "
        "final score = sum / (len(tokens) - 1) when length_norm, chosen by max over the finished.",
    ),
    mistakes=MISTAKES,
)
