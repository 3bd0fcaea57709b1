"""softmax_ce: softmax over the last axis, and the softmax cross-entropy loss with its gradient.

dlogits is checked against central differences of the learner's own loss,
every element. The edge rows hold the contract's stability promises: logits
of +-1e4 give finite results and no warnings, and a gap of 1e4 costs 1e4
(a `log(p + eps)` fudge caps it at -log(eps)).
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, arguments, expected,
                                        function_checks, function_mistake, function_speed, returned, values)
from grader.authoring.kata import CheckFailed, Kata, KnownMistake
from grader.checks.compare import format_pair, same_outputs
from grader.checks.returns import as_numbers


def _logits(n: int, c: int) -> Inputs:
    """Random logits ~ N(0, 1) and labels: small, so the numerical gradient covers every element."""
    return Inputs(f"logits {n}x{c}", lambda rng: {"logits": rng.standard_normal((n, c)),
                                                  "labels": rng.integers(0, c, size=n)})


def _as_x(inputs: Inputs) -> Inputs:
    return Inputs(inputs.label, lambda rng: {"x": inputs.arguments(rng)["logits"]}) if callable(inputs.arguments) \
        else Inputs(inputs.label, {"x": inputs.arguments["logits"]})


def _sizes(arguments: dict) -> dict[str, int]:
    """What a constant ratio may be named after: N and C."""
    array = next(iter(arguments.values()))
    return {"N": array.shape[0], "C": array.shape[-1]} if np.ndim(array) == 2 else {}


def _rows_hint(name: str, expected, got, arguments: dict) -> str:
    got = np.asarray(got)
    if np.isfinite(got).all() and np.any(np.abs(got.sum(axis=-1) - 1) > 1e-6):
        return " (the rows of probs do not sum to 1: normalise each row, over the last axis)"
    return ""


def _fixed(label: str, logits: list, labels: list) -> Inputs:
    return Inputs(label, {"logits": np.array(logits, dtype=np.float64), "labels": np.array(labels, dtype=np.int64)})


_BIG = 1e4
# Logits of +-1e4, the true class always the row's maximum so that the loss stays moderate (the large
# loss has its own row): exp overflows without the max shift, and the all-negative row underflows to 0/0.
HUGE = _fixed("logits of +-1e4", [[_BIG, -_BIG, 0, _BIG / 2], [-_BIG, -_BIG, -_BIG, 1 - _BIG], [_BIG, _BIG, -_BIG, 0],
                                  [0.5, -0.25, 1, 0]], [0, 3, 1, 2])
# The true class trails another by 1e4 in every row: the loss is about 1e4.
GAP = _fixed("the true class 1e4 below another", [[0, _BIG, 0, 0], [-_BIG / 2, _BIG / 2, 0, 1], [_BIG, 0, 0, 0]],
             [0, 0, 1])
ONE_CLASS = _fixed("C = 1 (logits 4x1: probs 1, loss 0, dlogits 0)", [[2.5], [-1.0], [0.0], [0.75]], [0, 0, 0, 0])
ONE_SAMPLE = Inputs("N = 1 (logits 1x6)", lambda rng: {"logits": rng.standard_normal((1, 6)), "labels": np.array([4])})

_SHIFT_HINT = "subtract each row's maximum before exp"
_LOG_HINT = ("compute log-softmax as (z - max) - log(sum(exp(z - max))), never as the log of a probability that "
             "may be 0")

CE = Function("softmax_cross_entropy", (Value("loss"), Value("dlogits", "logits", of="loss", wrt="logits")),
              cases=(_logits(6, 5), _logits(3, 8)), quantities=_sizes, factors=(
                  Factor("loss", lambda sizes: sizes["N"], "the loss is the mean over the batch, not the sum"),
                  Factor("dlogits", lambda sizes: sizes["N"], "the gradient of a mean over the batch carries 1/N")))
SOFTMAX = Function("softmax", (Value("probs", "x"),), cases=tuple(_as_x(inputs) for inputs in CE.cases),
                   quantities=_sizes, hint=_rows_hint)


def _large_gap(session) -> None:
    """A gap of 1e4 costs about 1e4: a log(p + eps) fudge caps it."""
    loss, right = values(session, CE, GAP)["loss"], expected(session, CE, GAP)["loss"]
    if np.isfinite(loss) and loss < 0.5 * right:
        shown_expected, shown_loss = format_pair(right, loss)
        raise CheckFailed(f"{GAP.label}: loss expected {shown_expected}, got {shown_loss}: the loss is capped, as "
                          f"log(p + eps) caps it at -log(eps); {_LOG_HINT}")


def _both(inputs: Inputs) -> tuple:
    return (("softmax", _as_x(inputs)), ("softmax_cross_entropy", inputs))


EDGES = (
    Edge("logits of +-1e4: exact, no warnings", _both(HUGE),
         clean={"softmax": _SHIFT_HINT, "softmax_cross_entropy": _LOG_HINT}),
    Edge("gap of 1e4 costs about 1e4", (("softmax_cross_entropy", GAP),), clean=_LOG_HINT, first=_large_gap),
    Edge("C = 1: probs 1, loss 0", _both(ONE_CLASS)),
    Edge("N = 1", _both(ONE_SAMPLE)),
)


# -- known mistakes -------------------------------------------------------------

def _loss_capped_by_eps(session) -> bool:
    """A gap of 1e4 costs a finite -log(eps), and the random losses are -log(p + eps) or -log(max(p, eps))."""
    capped = values(session, CE, GAP)["loss"]
    if not (np.isfinite(capped) and 1 < capped < 0.5 * expected(session, CE, GAP)["loss"]):
        return False
    eps = np.exp(-capped)
    for inputs in CE.cases:
        logits, labels = arguments(session, inputs).values()
        p = session.reference.softmax(logits)[np.arange(len(labels)), labels]
        got = np.array(values(session, CE, inputs)["loss"])
        if not any(same_outputs(np.array(-np.mean(np.log(fudged))), got) for fudged in (p + eps, np.maximum(p, eps))):
            return False
    return True


def _overflows(session) -> bool:
    """softmax of +-1e4 overflows (a warning or a non-finite value) while the random probs are right."""
    call = returned(session, "softmax", _as_x(HUGE))
    probs = as_numbers(call.value)
    broken = any("overflow" in warning for warning in call.warnings) or (probs is not None and not np.isfinite(probs).all())
    return broken and all(same_outputs(values(session, SOFTMAX, inputs)["probs"], expected(session, SOFTMAX, inputs)["probs"])
                          for inputs in SOFTMAX.cases)


def _log_of_zero(session) -> bool:
    """A gap of 1e4 costs inf (the log of a probability that underflowed to 0) while the random losses are right;
    not when exp overflowed on the way: then the missing max shift is the first thing to fix."""
    if any("overflow" in warning for warning in returned(session, CE.name, GAP).warnings) or \
            values(session, CE, GAP)["loss"] != np.inf:
        return False
    return all(same_outputs(np.array(values(session, CE, inputs)["loss"]), np.array(expected(session, CE, inputs)["loss"]))
               for inputs in CE.cases)


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _ce(loss, dlogits):
    """A buggy softmax_cross_entropy from what it makes of the right loss and dlogits."""
    return lambda reference, logits, labels: (loss(*reference.softmax_cross_entropy(logits, labels), logits, labels),
                                              dlogits(reference.softmax_cross_entropy(logits, labels)[1], len(labels)))


MISTAKES = (
    KnownMistake("loss capped by an eps in the log",
                 "Your loss matches -log(p + eps) (or p clipped at eps), which caps a hopeless prediction's cost "
                 "at -log(eps): compute log-softmax directly, (z - max) - log(sum(exp(z - max))).",
                 _loss_capped_by_eps),
    KnownMistake("log of probabilities that underflow",
                 "Your loss is inf when the true class trails by 1e4, the log of a probability that underflowed "
                 "to 0: compute log-softmax directly, (z - max) - log(sum(exp(z - max))).", _log_of_zero),
    KnownMistake("softmax without the max shift",
                 "Your softmax overflows at logits of 1e4, as exp(x) does without a shift: subtract each row's "
                 "maximum before exp, which leaves the softmax unchanged.", _overflows),
    function_mistake(CE, "dlogits missing 1/N",
                     "Your dlogits is probs - onehot, N times too large: the loss is a mean over the batch, so its "
                     "gradient is (probs - onehot)/N.",
                     _ce(lambda loss, dlogits, logits, labels: loss, lambda dlogits, n: n * dlogits)),
    function_mistake(CE, "loss summed over the batch",
                     "Your loss and dlogits are N times the contract's: the loss is the mean over the batch of "
                     "-log p[label], and dlogits carries the 1/N.",
                     _ce(lambda loss, dlogits, logits, labels: len(labels) * loss, lambda dlogits, n: n * dlogits)),
    function_mistake(CE, "every label picked in every row",
                     "Your loss averages log_probs[:, labels], every label in every row: pick one entry per row, "
                     "log_probs[np.arange(N), labels].",
                     _ce(lambda loss, dlogits, logits, labels: -np.mean(np.log(_softmax(logits))[:, labels]),
                         lambda dlogits, n: dlogits)),
    function_mistake(CE, "dlogits sign flipped",
                     "Your dlogits is (onehot - probs)/N, the direction of descent: the gradient of the loss is "
                     "(probs - onehot)/N.", _ce(lambda loss, dlogits, logits, labels: loss, lambda dlogits, n: -dlogits)),
    function_mistake(SOFTMAX, "softmax over the whole array",
                     "Your probs are normalised by one sum over the whole batch: normalise each row, "
                     "e / e.sum(axis=1, keepdims=True).",
                     lambda reference, x: np.exp(x - x.max()) / np.exp(x - x.max()).sum()),
    function_mistake(SOFTMAX, "softmax down the columns",
                     "Your probs are normalised down each column (axis 0): normalise each row, over the last axis.",
                     lambda reference, x: np.exp(x - x.max(axis=0)) / np.exp(x - x.max(axis=0)).sum(axis=0)),
)

_SPEED = Inputs("logits 256x100", lambda rng: {"logits": rng.standard_normal((256, 100)),
                                               "labels": rng.integers(0, 100, size=256)})

KATA = Kata(
    name="softmax_ce",
    title="softmax and the softmax cross-entropy loss with its gradient",
    functions=("softmax", "softmax_cross_entropy"),
    checks=function_checks((SOFTMAX, CE), EDGES),
    speed=function_speed("softmax + softmax_cross_entropy on logits 256x100", *_both(_SPEED)),
    hints=(
        "Softmax does not change when you add a constant to a row, and the loss only ever needs the log "
        "of a probability: think about what that lets you avoid computing.",
        "Shift each row by its maximum, take log-softmax with the log-sum-exp trick, average -log_probs at "
        "[np.arange(N), labels] for the loss, and for dlogits subtract 1 at the true classes of softmax "
        "and divide by N.",
        "log softmax(z)[j] = (z[j] - m) - log(sum(exp(z - m))) with m = max(z); dlogits = (probs - onehot)/N.",
    ),
    mistakes=MISTAKES,
)
