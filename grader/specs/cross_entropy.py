"""cross_entropy: the cross-entropy of positions (..., C) with label smoothing and ignore_index, and its gradient.

The random cases are 2-D, one plain and one with smoothing 0.1 and ignored positions, where the known mistakes show;
each edge row isolates one rule. dlogits is checked against central differences of the learner's loss, every element.
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, arguments, expected,
                                        function_checks, function_mistake, function_speed, values)
from grader.authoring.kata import Kata, KnownMistake, either_mistake
from grader.checks.compare import same_outputs


def _inputs(label: str, shape: tuple, eps: float = 0.0, ignored: tuple = (), ignore_index: int = -100) -> Inputs:
    """Logits ~ N(0, 1) of `shape`, random targets, those at the flat positions `ignored` set to ignore_index."""
    def draw(rng):
        targets = rng.integers(0, shape[-1], size=shape[:-1])
        targets.flat[list(ignored)] = ignore_index
        return {"logits": rng.standard_normal(shape), "targets": targets}
    return Inputs(label, draw, {"label_smoothing": eps, "ignore_index": ignore_index})


def _fixed(label: str, logits: list, targets: list, **keywords) -> Inputs:
    return Inputs(label, {"logits": np.array(logits, dtype=np.float64), "targets": np.array(targets)}, keywords)


def _sizes(arguments: dict) -> dict[str, float]:
    """What a ratio may be named after (kept: targets in [0, C), right unless ignore_index is a class)."""
    logits, targets = arguments["logits"], arguments["targets"]
    return {"positions kept": int(np.sum((targets >= 0) & (targets < logits.shape[-1]))), "C": logits.shape[-1],
            "N": logits.shape[0], "positions": targets.size}


CE = Function("cross_entropy", (Value("loss"), Value("dlogits", "logits", of="loss", wrt="logits")),
              (_inputs("logits 6x5", (6, 5)),
               _inputs("logits 5x7, label_smoothing 0.1, targets 1 and 3 ignored (-100)", (5, 7), 0.1, (1, 3))),
              quantities=_sizes, factors=(
    Factor("loss dlogits", lambda q: q["positions kept"], "the loss is the mean over the kept positions, not the sum"),
    Factor("loss dlogits", lambda q: q["positions kept"] / q["positions"],
           "the mean divides by the number of KEPT positions: an ignored one counts neither in the sum nor the count"),
    Factor("loss dlogits", lambda q: q["positions kept"] / q["N"],
           "the mean is over every kept position, not over logits.shape[0]"),
    Factor("dlogits", -1.0, "the gradient of the loss is softmax - q, not q - softmax")))

_BIG = 1e4
THREE_D = _inputs("logits 2x4x6, label_smoothing 0.1, 2 positions ignored", (2, 4, 6), 0.1, (2, 5))
SMOOTH = (_inputs("logits 4x6, label_smoothing 0.3", (4, 6), 0.3),
          _inputs("logits 3x5, label_smoothing 1", (3, 5), 1.0))
IGNORED = _inputs("logits 7x4, targets 0, 2 and 5 ignored (-100)", (7, 4), 0.0, (0, 2, 5))
CUSTOM = (_inputs("logits 6x5, ignore_index -1 at targets 1 and 4", (6, 5), 0.0, (1, 4), -1),
          _inputs("logits 6x5, label_smoothing 0.2, ignore_index 0 (a padding id) at targets 0 and 3", (6, 5), 0.2,
                  (0, 3), 0))
NOTHING_KEPT = _inputs("logits 3x4, label_smoothing 0.1, every target ignored", (3, 4), 0.1, (0, 1, 2))
HUGE = _fixed("logits of +-1e4, label_smoothing 0.1", [[_BIG, -_BIG, 0, _BIG / 2], [-_BIG, -_BIG, -_BIG, 1 - _BIG],
                                                       [_BIG, _BIG, -_BIG, 0], [0.5, -0.25, 1, 0]], [0, 3, 1, -100],
              label_smoothing=0.1)
GAP = _fixed("the target 1e4 below another", [[0, _BIG, 0, 0], [-_BIG / 2, _BIG / 2, 0, 1]], [0, 0])
_LOG_HINT = "compute log_softmax as (z - m) - log(sum(exp(z - m))) with m = max(z), never the log of a probability"
_ROWS = [[0.1, 0.2, 0.3, 0.4, 0.5]] * 2
_OUTSIDE = (_fixed("target 5 with C = 5", _ROWS, [1, 5]), _fixed("target -2 with C = 5", _ROWS, [-2, 1]),
            _fixed("target -100 with ignore_index -1", _ROWS, [-100, -1], ignore_index=-1))
_TOO_SMOOTH = tuple(_fixed(f"label_smoothing {eps}", _ROWS, [1, 4], label_smoothing=eps) for eps in (-0.1, 1.5))


def _outside(arguments: dict) -> str:
    """Why returning normally is wrong for these targets."""
    low, high, C = arguments["targets"].min(), arguments["targets"].max(), arguments["logits"].shape[-1]
    if high >= C:
        return f"{high} is not a class when C = {C}"
    if low == -100:
        return "-100 is ignored only when ignore_index is -100; here it is -1"
    return f"numpy's negative indexing silently takes class {low % C} for a target of {low}"


def _calls(*inputs: Inputs) -> tuple:
    return tuple(("cross_entropy", each) for each in inputs)

EDGES = (
    Edge("3-D logits (N, T, C)", _calls(THREE_D), gradient=True, why="every leading index is a position: "),
    Edge("label_smoothing 0.3 and 1", _calls(*SMOOTH), gradient=True, why="q = (1 - eps)*onehot + eps/C: "),
    Edge("ignore_index -100: ignored positions cost nothing", _calls(IGNORED), gradient=True,
         why="the mean is over kept positions, and an ignored one gets dlogits 0: "),
    Edge("custom ignore_index (-1, and 0 as a padding id)", _calls(*CUSTOM), gradient=True,
         why="positions whose target equals ignore_index, whatever its value, are ignored: "),
    Edge("every position ignored: loss 0, dlogits 0", _calls(NOTHING_KEPT), {"loss": 0.0, "dlogits": 0.0},
         clean="divide by max(number kept, 1): nothing kept is a sum of 0 over 1, not 0/0", gradient=True),
    Edge("logits of +-1e4: exact, no warnings", _calls(HUGE, GAP), clean=_LOG_HINT),
    Edge("C = 1: loss 0, dlogits 0", _calls(_fixed("C = 1 (logits 4x1), label_smoothing 0.1", [[2.5], [-1.0], [0.0],
                                                   [0.75]], [0, 0, -100, 0], label_smoothing=0.1))),
    Edge("N = 1", _calls(_inputs("logits 1x6, label_smoothing 0.2", (1, 6), 0.2), _inputs("logits 1x3x5", (1, 3, 5))),
         gradient=True),
    Edge("target outside [0, C) raises ValueError", _calls(*_OUTSIDE), raises="ValueError", if_returned=_outside),
    Edge("label_smoothing outside [0, 1] raises ValueError", _calls(*_TOO_SMOOTH), raises="ValueError"),
)


# -- known mistakes: buggy copies of the reference's steps --------------------------------------------------

def _buggy(q=lambda onehot, eps, C: (1 - eps) * onehot + eps / C, count=lambda kept, logits: max(kept.sum(), 1),
           ignored=lambda p, q: 0.0, log=lambda log_probs: log_probs, ignoring=None):
    """cross_entropy with the target distribution q(onehot, eps, C), the mean over count(kept, logits), the gradient
    ignored(probs, q) at ignored positions, log-probabilities log(log_softmax), and `ignoring` for ignore_index;
    dlogits is the gradient of that loss, probs * sum(q) - q."""
    def buggy(reference, logits, targets, label_smoothing=0.0, ignore_index=-100):
        C, kept = logits.shape[-1], (targets != (ignore_index if ignoring is None else ignoring))[..., None]
        shifted = logits - logits.max(axis=-1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
        target_q = q(np.eye(C)[np.where(kept[..., 0], targets, 0)], label_smoothing, C)
        p, n = np.exp(log_probs), count(kept, logits)
        with np.errstate(all="ignore"):
            gradient = np.where(kept, p * target_q.sum(axis=-1, keepdims=True) - target_q, ignored(p, target_q)) / n
            return -(target_q * kept * log(log_probs)).sum() / n, gradient
    return buggy


def _loss_capped_by_eps(session) -> bool:
    """The gap of 1e4 costs a finite -log(eps) or so, and the random losses are those of log(p + eps) or
    log(max(p, eps)) with that eps."""
    capped = values(session, CE, GAP)["loss"]
    if not (np.isfinite(capped) and 1 < capped < 0.5 * expected(session, CE, GAP)["loss"]):
        return False
    eps = np.exp(-capped)
    fudges = [_buggy(log=lambda log_p, f=f: np.log(f(np.exp(log_p)))) for f in (lambda p: p + eps,
                                                                                  lambda p: np.maximum(p, eps))]
    return all(any(same_outputs(np.array(fudged(None, *arguments(session, inputs).values(), **inputs.keywords)[0]),
                                np.array(values(session, CE, inputs)["loss"])) for fudged in fudges)
               for inputs in CE.cases)


MISTAKES = (
    function_mistake(CE, "smoothing spread over the other classes only",
                     "Your q puts eps/(C - 1) on each wrong class and 1 - eps on the target: label smoothing (as "
                     "PyTorch) puts eps/C on EVERY class, the target included, q = (1 - eps)*onehot + eps/C.",
                     _buggy(q=lambda onehot, eps, C: (1 - eps) * onehot + eps / (C - 1) * (1 - onehot))),
    function_mistake(CE, "smoothing as (1 - eps) times the loss",
                     "Your loss is (1 - eps) times the unsmoothed one: that is only the one-hot part of q; the "
                     "uniform part adds eps/C times -sum(log_softmax) over the classes, and dlogits = softmax - q.",
                     _buggy(q=lambda onehot, eps, C: (1 - eps) * onehot)),
    function_mistake(CE, "mean over every position, ignored ones included",
                     "Your loss and dlogits divide by the number of positions, ignored ones included: the mean is "
                     "over the kept positions only, sum of their costs / (targets != ignore_index).sum().",
                     _buggy(count=lambda kept, logits: kept.size), (THREE_D,)),
    function_mistake(CE, "mean over logits.shape[0]",
                     "Your loss and dlogits divide by N = logits.shape[0]: for logits (N, T, C) every one of the "
                     "N*T positions is one term of the mean, so divide by the number of kept positions.",
                     _buggy(count=lambda kept, logits: logits.shape[0]), (THREE_D,)),
    either_mistake("ignored positions given a gradient",
                   "Your dlogits is not 0 at ignored positions: the loss leaves them out, so mask dlogits too (an "
                   "ignored position's q and softmax both count for nothing).",
                   function_mistake(CE, "", "", _buggy(ignored=lambda p, q: p)),
                   function_mistake(CE, "", "", _buggy(ignored=lambda p, q: p - q))),
    function_mistake(CE, "every position ignored gives NaN",
                     "Your loss is NaN when every position is ignored, 0/0: divide by max(number kept, 1), so that "
                     "nothing kept costs 0 with dlogits 0 (PyTorch returns NaN there; the contract does not).",
                     _buggy(count=lambda kept, logits: kept.sum()), (NOTHING_KEPT,), ("loss",)),
    function_mistake(CE, "ignore_index hard-coded to -100",
                     "Your code ignores targets equal to -100 whatever ignore_index says: compare targets with the "
                     "ignore_index argument (-1 or a padding id 0 are common).", _buggy(ignoring=-100), CUSTOM),
    KnownMistake("loss capped by an eps in the log",
                 "Your loss matches -log(p + eps) (or p clipped at eps), which caps a hopeless prediction's cost at "
                 "-log(eps) and is off everywhere else: " + _LOG_HINT + ".", _loss_capped_by_eps),
)

KATA = Kata(
    name="cross_entropy",
    title="cross-entropy with label smoothing and ignore_index, and its gradient",
    functions=("cross_entropy",),
    checks=function_checks((CE,), EDGES),
    speed=function_speed("cross_entropy on logits 8x64x100, label_smoothing 0.1",
                         ("cross_entropy", _inputs("logits 8x64x100", (8, 64, 100), 0.1, tuple(range(0, 512, 7))))),
    hints=(
        "Decide first which positions count (targets != ignore_index): the mean is over those only, and "
        "the others get no gradient. Then work with log-softmax, never the log of a probability.",
        "Build the kept mask and the target distribution q (zero rows where ignored), take log_softmax over the "
        "last axis with the log-sum-exp trick, loss = -sum(q * log_softmax) / max(kept, 1), and "
        "dlogits = (softmax * kept - q) / max(kept, 1).",
        "q = (1 - eps)*onehot(target) + eps/C on every class; log_softmax(z) = (z - m) - log(sum(exp(z - m))); "
        "dlogits = (softmax - q)/n_kept at kept positions, 0 at ignored ones.",
    ),
    mistakes=MISTAKES,
)
