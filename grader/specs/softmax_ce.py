"""softmax_ce: softmax over the last axis, and the softmax cross-entropy loss with its gradient.

The loss is a scalar function of the logits, so its gradient is checked
directly: dlogits against central differences of the learner's own loss,
every element. The edge rows hold the contract's stability promises: logits
of +-1e4 give finite results and no warnings, and a gap of 1e4 costs 1e4
(a `log(p + eps)` fudge caps it at -log(eps)).
"""
from __future__ import annotations

import numpy as np

from grader.checks.compare import agree, compare_arrays, format_pair, input_scale, same_outputs
from grader.checks.session import Session
from grader.checks.gradcheck import STEP, central_difference
from grader.checks.gradients import Numerical, judge_gradient
from grader.sandbox.process import Returned
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.results import Speed
from grader.checks.returns import as_numbers, describe_value, expect_array, expect_tuple, real_scalar
from grader.checks.speed import measure_speed

#: (N, C) of the random cases: small, so the numerical gradient covers every element.
CASES = ((6, 5), (3, 8))

_BIG = 1e4
# Logits of +-1e4, the true class always the row's maximum so that the loss stays
# moderate (the large loss has its own row): exp overflows without the max shift,
# and the all-negative row underflows to 0/0.
_HUGE_LOGITS = np.array([[_BIG, -_BIG, 0.0, 0.5 * _BIG],
                         [-_BIG, -_BIG, -_BIG, 1.0 - _BIG],
                         [_BIG, _BIG, -_BIG, 0.0],
                         [0.5, -0.25, 1.0, 0.0]])
_HUGE_LABELS = np.array([0, 3, 1, 2])
# The true class trails another by 1e4 in every row: the loss is about 1e4.
_GAP_LOGITS = np.array([[0.0, _BIG, 0.0, 0.0],
                        [-0.5 * _BIG, 0.5 * _BIG, 0.0, 1.0],
                        [_BIG, 0.0, 0.0, 0.0]])
_GAP_LABELS = np.array([0, 0, 1])


def _random_case(session: Session, n: int, c: int) -> tuple[str, np.ndarray, np.ndarray]:
    """(label, logits ~ N(0, 1), labels): away from anything pathological."""
    rng = session.rng("inputs", n, c)
    return f"logits {n}x{c}", rng.standard_normal((n, c)), rng.integers(0, c, size=n)


def _cases(session: Session) -> list[tuple[str, np.ndarray, np.ndarray]]:
    return [_random_case(session, n, c) for n, c in CASES]


# -- the learner's and the reference's answers, each computed once -------------

def _softmax_call(session: Session, label: str, x: np.ndarray, repeat: int = 0) -> Returned:
    def call() -> Returned:
        with session.about(label):
            return session.call("softmax", x)
    return session.memo(("softmax", label, repeat), call)


def _ce_call(session: Session, label: str, logits: np.ndarray, labels: np.ndarray, repeat: int = 0) -> Returned:
    def call() -> Returned:
        with session.about(label):
            return session.call("softmax_cross_entropy", logits, labels)
    return session.memo(("ce", label, repeat), call)


def _probs(session: Session, label: str, x: np.ndarray, repeat: int = 0) -> np.ndarray:
    probs = _softmax_call(session, label, x, repeat).value
    expect_array(probs, "softmax's probs")
    if probs.shape != x.shape:
        raise CheckFailed(f"{label}: probs has shape {probs.shape}, expected {x.shape} (the shape of x)")
    return probs


def _loss(session: Session, label: str, logits: np.ndarray, labels: np.ndarray, repeat: int = 0) -> float:
    value = _ce_call(session, label, logits, labels, repeat).value
    loss = expect_tuple(value, "softmax_cross_entropy", ("loss", "dlogits"))[0]
    if real_scalar(loss) is None:
        raise CheckFailed(f"{label}: loss must be a real scalar (a float or a 0-d array), the mean over the "
                          f"batch; softmax_cross_entropy returned {describe_value(loss)}")
    return real_scalar(loss)


def _dlogits(session: Session, label: str, logits: np.ndarray, labels: np.ndarray, repeat: int = 0) -> np.ndarray:
    value = _ce_call(session, label, logits, labels, repeat).value
    dlogits = expect_tuple(value, "softmax_cross_entropy", ("loss", "dlogits"))[1]
    expect_array(dlogits, "dlogits")
    if dlogits.shape != logits.shape:
        raise CheckFailed(f"{label}: dlogits has shape {dlogits.shape}, expected {logits.shape} "
                          f"(the shape of logits)")
    return dlogits


def _reference_probs(session: Session, label: str, x: np.ndarray) -> np.ndarray:
    return session.memo(("reference softmax", label), lambda: session.reference_call("softmax", x))


def _reference_ce(session: Session, label: str, logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """(loss, dlogits) from the reference."""
    return session.memo(("reference ce", label),
                        lambda: session.reference_call("softmax_cross_entropy", logits, labels))


# -- comparisons with a hint for the classic mistakes ------------------------

def _sizes(array: np.ndarray) -> dict[str, int]:
    """The quantities a constant ratio may be named after: N and C."""
    return {"N": array.shape[0], "C": array.shape[-1]} if array.ndim == 2 else {}


def _expect_probs(session: Session, label: str, x: np.ndarray) -> None:
    got = _probs(session, label, x)
    expected = _reference_probs(session, label, x)
    mismatch = compare_arrays("probs", expected, got, input_scale(x), _sizes(x))
    if mismatch:
        hint = ""
        if np.isfinite(got).all() and np.any(np.abs(got.sum(axis=-1) - 1) > 1e-6):
            hint = " (the rows of probs do not sum to 1: normalise each row, over the last axis)"
        raise CheckFailed(f"{label}: {mismatch.describe()}{hint}")


def _loss_agrees(session: Session, label: str, logits: np.ndarray, labels: np.ndarray) -> bool:
    expected = _reference_ce(session, label, logits, labels)[0]
    return agree(expected, _loss(session, label, logits, labels), input_scale(logits, labels))


def _expect_loss(session: Session, label: str, logits: np.ndarray, labels: np.ndarray) -> None:
    if _loss_agrees(session, label, logits, labels):
        return
    got = _loss(session, label, logits, labels)
    expected = _reference_ce(session, label, logits, labels)[0]
    mismatch = compare_arrays("loss", np.array(expected), np.array(got), input_scale(logits, labels), _sizes(logits))
    hint = ""
    n = len(logits)
    if n > 1 and agree(n * expected, got, input_scale(logits, labels)):
        hint = " (the loss is the mean over the batch, not the sum)"
    raise CheckFailed(f"{label}: {mismatch.describe()}{hint}")


def _expect_dlogits(session: Session, label: str, logits: np.ndarray, labels: np.ndarray) -> None:
    got = _dlogits(session, label, logits, labels)
    expected = _reference_ce(session, label, logits, labels)[1]
    mismatch = compare_arrays("dlogits", expected, got, input_scale(logits, labels), _sizes(logits))
    if mismatch:
        raise CheckFailed(f"{label}: {mismatch.describe()}{_dlogits_hint(expected, got, input_scale(logits, labels))}")


def _dlogits_hint(expected: np.ndarray, got: np.ndarray, scale: float) -> str:
    n = len(expected)
    if n > 1 and agree(n * expected, got, scale):
        return " (the gradient of a mean over the batch carries 1/N)"
    return ""


_SHIFT_HINT = "subtract each row's maximum before exp"
_LOG_HINT = ("compute log-softmax as (z - max) - log(sum(exp(z - max))), never as the log of a "
             "probability that may be 0")


def _expect_clean(returned: Returned, values: dict[str, object], what: str, hint: str) -> None:
    """Every value finite and no warnings from the call; `what` names the call and its inputs."""
    for name, value in values.items():
        array = np.asarray(value, dtype=np.float64)
        if not np.isfinite(array).all():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            where = f"{name}[{', '.join(str(i) for i in bad)}]" if bad else name
            warned = f" (with {returned.warnings[0]})" if returned.warnings else ""
            raise CheckFailed(f"{what}: {where} is {array[bad]}{warned}; it must be finite: {hint}")
    if returned.warnings:
        more = f" and {len(returned.warnings) - 1} more" if len(returned.warnings) > 1 else ""
        raise CheckFailed(f"{what} warned: {returned.warnings[0]}{more}; it must run without warnings: {hint}")


# -- the rows -----------------------------------------------------------------

def _probs_shape(session: Session) -> None:
    for label, logits, _ in _cases(session):
        _probs(session, label, logits)


def _loss_scalar(session: Session) -> None:
    for label, logits, labels in _cases(session):
        _loss(session, label, logits, labels)


def _dlogits_shape(session: Session) -> None:
    for label, logits, labels in _cases(session):
        _dlogits(session, label, logits, labels)


def _probs_values(session: Session) -> None:
    for label, logits, _ in _cases(session):
        _expect_probs(session, label, logits)


def _loss_values(session: Session) -> None:
    for label, logits, labels in _cases(session):
        _expect_loss(session, label, logits, labels)


def _dlogits_values(session: Session) -> None:
    for label, logits, labels in _cases(session):
        _expect_dlogits(session, label, logits, labels)


def _gradient(session: Session) -> str | None:
    """dlogits against the reference and against central differences of the learner's own loss, every element."""
    notes = []
    for label, logits, labels in _cases(session):
        got = _dlogits(session, label, logits, labels)
        with session.about(f"{label}, at logits moved for numerical gradients"):
            outputs, _ = session.learner.perturbed_outputs(
                "softmax_cross_entropy", (logits, labels), {}, wrt=0, indices=np.arange(logits.size),
                h=STEP, item=0)
        if outputs.shape[2:] != ():
            raise CheckFailed(f"{label}: loss has shape {outputs.shape[2:]}; it must be a scalar "
                              f"to be differentiated")
        numerical = Numerical.everywhere(central_difference(outputs, np.array(1.0), STEP))
        expected = _reference_ce(session, label, logits, labels)[1]
        scale = input_scale(logits, labels)
        notes.append(judge_gradient("dlogits", got, expected, numerical,
                                    forward_right=_loss_agrees(session, label, logits, labels), label=label,
                                    scale=scale, quantities=_sizes(logits), forward="loss",
                                    hint=_dlogits_hint(expected, got, scale)))
    return next((note for note in notes if note), None)


def _huge_logits(session: Session) -> None:
    label = "logits of +-1e4"
    returned = _softmax_call(session, label, _HUGE_LOGITS)
    _expect_clean(returned, {"probs": _probs(session, label, _HUGE_LOGITS)}, f"softmax on {label}", _SHIFT_HINT)
    _expect_probs(session, label, _HUGE_LOGITS)
    returned = _ce_call(session, label, _HUGE_LOGITS, _HUGE_LABELS)
    _expect_clean(returned, {"loss": _loss(session, label, _HUGE_LOGITS, _HUGE_LABELS),
                             "dlogits": _dlogits(session, label, _HUGE_LOGITS, _HUGE_LABELS)},
                  f"softmax_cross_entropy on {label}", _LOG_HINT)
    _expect_loss(session, label, _HUGE_LOGITS, _HUGE_LABELS)
    _expect_dlogits(session, label, _HUGE_LOGITS, _HUGE_LABELS)


def _large_gap(session: Session) -> None:
    label = "true class 1e4 below another"
    loss = _loss(session, label, _GAP_LOGITS, _GAP_LABELS)
    expected = _reference_ce(session, label, _GAP_LOGITS, _GAP_LABELS)[0]
    if np.isfinite(loss) and loss < 0.5 * expected:
        shown_expected, shown_loss = format_pair(expected, loss)
        raise CheckFailed(f"{label}: loss expected {shown_expected}, got {shown_loss}: the loss is "
                          f"capped, as log(p + eps) caps it at -log(eps); {_LOG_HINT}")
    returned = _ce_call(session, label, _GAP_LOGITS, _GAP_LABELS)
    _expect_clean(returned, {"loss": loss, "dlogits": _dlogits(session, label, _GAP_LOGITS, _GAP_LABELS)},
                  f"softmax_cross_entropy with the {label}", _LOG_HINT)
    _expect_loss(session, label, _GAP_LOGITS, _GAP_LABELS)
    _expect_dlogits(session, label, _GAP_LOGITS, _GAP_LABELS)


def _one_class(session: Session) -> None:
    label = "C = 1 (logits 4x1: probs 1, loss 0, dlogits 0)"
    logits = np.array([[2.5], [-1.0], [0.0], [0.75]])
    labels = np.zeros(4, dtype=np.int64)
    _expect_probs(session, label, logits)
    _expect_loss(session, label, logits, labels)
    _expect_dlogits(session, label, logits, labels)


def _one_sample(session: Session) -> None:
    rng = session.rng("N = 1")
    label, logits, labels = "N = 1 (logits 1x6)", rng.standard_normal((1, 6)), np.array([4])
    _expect_probs(session, label, logits)
    _expect_loss(session, label, logits, labels)
    _expect_dlogits(session, label, logits, labels)


def _not_modified(session: Session) -> None:
    """No call of any row changed x, logits or labels."""
    for label, logits, labels in _cases(session):
        _softmax_call(session, label, logits)
        _ce_call(session, label, logits, labels)
    session.check_inputs_unmodified()


def _deterministic(session: Session) -> None:
    """Same inputs, same outputs; what the outputs are is the other rows' business."""
    label, logits, labels = _cases(session)[0]
    probs = [as_numbers(_softmax_call(session, label, logits, repeat).value) for repeat in (0, 1)]
    if not same_outputs(*probs):
        raise CheckFailed(f"{label}: softmax gave different probs for the same x")
    results = [_ce_call(session, label, logits, labels, repeat).value for repeat in (0, 1)]
    pairs = [expect_tuple(value, "softmax_cross_entropy", ("loss", "dlogits")) for value in results]
    for index, name in enumerate(("loss", "dlogits")):
        first, second = as_numbers(pairs[0][index]), as_numbers(pairs[1][index])
        if first is not None and second is not None and not same_outputs(first, second):  # else: shape rows
            raise CheckFailed(f"{label}: softmax_cross_entropy gave a different {name} for the same inputs")


# -- known mistakes: the learner's answers against buggy ones computed here -------

def _log_softmax(z: np.ndarray) -> np.ndarray:
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _right_dlogits(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    dlogits = np.exp(_log_softmax(logits))
    dlogits[np.arange(len(labels)), labels] -= 1
    return dlogits / len(labels)


def _true_class(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return values[np.arange(len(labels)), labels]


def _ce_mistake(name: str, explanation: str, buggy) -> KnownMistake:
    """The learner's (loss, dlogits) equal `buggy(logits, labels)` on the random cases, and the reference's do not."""
    def detect(session: Session) -> bool:
        telling = False
        for label, logits, labels in _cases(session):
            got = (_loss(session, label, logits, labels), _dlogits(session, label, logits, labels))
            for wrong, mine, right in zip(buggy(logits, labels), got, _reference_ce(session, label, logits, labels)):
                if not same_outputs(np.asarray(wrong), np.asarray(mine)):
                    return False
                telling = telling or not same_outputs(np.asarray(wrong), np.asarray(right))
        return telling
    return KnownMistake(name, explanation, detect)


def _probs_mistake(name: str, explanation: str, buggy) -> KnownMistake:
    """The learner's probs equal `buggy(x)` on the random cases, and differ from the reference."""
    def detect(session: Session) -> bool:
        telling = False
        for label, logits, _ in _cases(session):
            wrong = buggy(logits)
            if not same_outputs(wrong, _probs(session, label, logits)):
                return False
            telling = telling or not same_outputs(wrong, _reference_probs(session, label, logits))
        return telling
    return KnownMistake(name, explanation, detect)


def _loss_capped_by_eps(session: Session) -> bool:
    """A gap of 1e4 costs a finite -log(eps), and the random losses are -log(p + eps) or -log(max(p, eps))."""
    label = "true class 1e4 below another"
    capped = _loss(session, label, _GAP_LOGITS, _GAP_LABELS)
    if not (np.isfinite(capped) and 1 < capped < 0.5 * _reference_ce(session, label, _GAP_LOGITS, _GAP_LABELS)[0]):
        return False
    eps = np.exp(-capped)
    for label, logits, labels in _cases(session):
        p = _true_class(np.exp(_log_softmax(logits)), labels)
        got = np.array(_loss(session, label, logits, labels))
        if not any(same_outputs(np.array(-np.mean(np.log(fudged))), got) for fudged in (p + eps, np.maximum(p, eps))):
            return False
    return True


def _overflows(session: Session) -> bool:
    """softmax of +-1e4 overflows (a warning or a non-finite value) while the random probs are right."""
    label = "logits of +-1e4"
    returned = _softmax_call(session, label, _HUGE_LOGITS)
    probs = as_numbers(returned.value)
    broken = any("overflow" in warning for warning in returned.warnings) or \
        (probs is not None and not np.isfinite(probs).all())
    return broken and all(same_outputs(_probs(session, label, logits), _reference_probs(session, label, logits))
                          for label, logits, _ in _cases(session))


def _log_of_zero(session: Session) -> bool:
    """A gap of 1e4 costs inf (log of a probability that underflowed to 0) while the random losses are right.

    Not when exp overflowed on the way: then the missing max shift is the first thing to fix.
    """
    label = "true class 1e4 below another"
    overflowed = any("overflow" in warning for warning in _ce_call(session, label, _GAP_LOGITS, _GAP_LABELS).warnings)
    if overflowed or _loss(session, label, _GAP_LOGITS, _GAP_LABELS) != np.inf:
        return False
    return all(same_outputs(np.array(_loss(session, label, logits, labels)),
                            np.array(_reference_ce(session, label, logits, labels)[0]))
               for label, logits, labels in _cases(session))


def _mean_loss(logits: np.ndarray, labels: np.ndarray) -> float:
    return -np.mean(_true_class(_log_softmax(logits), labels))


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
    _ce_mistake("dlogits missing 1/N",
                "Your dlogits is probs - onehot, N times too large: the loss is a mean over the batch, so its "
                "gradient is (probs - onehot)/N.",
                lambda logits, labels: (_mean_loss(logits, labels), len(labels) * _right_dlogits(logits, labels))),
    _ce_mistake("loss summed over the batch",
                "Your loss and dlogits are N times the contract's: the loss is the mean over the batch of "
                "-log p[label], and dlogits carries the 1/N.",
                lambda logits, labels: (len(labels) * _mean_loss(logits, labels),
                                        len(labels) * _right_dlogits(logits, labels))),
    _ce_mistake("every label picked in every row",
                "Your loss averages log_probs[:, labels], every label in every row: pick one entry per row, "
                "log_probs[np.arange(N), labels].",
                lambda logits, labels: (-np.mean(_log_softmax(logits)[:, labels]), _right_dlogits(logits, labels))),
    _ce_mistake("dlogits sign flipped",
                "Your dlogits is (onehot - probs)/N, the direction of descent: the gradient of the loss is "
                "(probs - onehot)/N.",
                lambda logits, labels: (_mean_loss(logits, labels), -_right_dlogits(logits, labels))),
    _probs_mistake("softmax over the whole array",
                   "Your probs are normalised by one sum over the whole batch: normalise each row, "
                   "e / e.sum(axis=1, keepdims=True).",
                   lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum()),
    _probs_mistake("softmax down the columns",
                   "Your probs are normalised down each column (axis 0): normalise each row, over the last axis.",
                   lambda x: np.exp(x - x.max(axis=0)) / np.exp(x - x.max(axis=0)).sum(axis=0)),
)


def _speed(session: Session) -> Speed:
    rng = session.rng("speed")
    logits, labels = rng.standard_normal((256, 100)), rng.integers(0, 100, size=256)

    def run_reference() -> None:
        session.reference.softmax(logits)
        session.reference.softmax_cross_entropy(logits, labels)

    def run_learner() -> float:
        return (session.call("softmax", logits, send=(), watch_inputs=False).seconds
                + session.call("softmax_cross_entropy", logits, labels, send=(), watch_inputs=False).seconds)

    return measure_speed(session, "softmax + softmax_cross_entropy on logits 256x100",
                         run_reference, run_learner)


#: The shape rows: until they pass, the rows that compare values would only repeat them.
_SHAPES = ("probs shape", "loss is a real scalar", "dlogits shape")

KATA = Kata(
    name="softmax_ce",
    title="softmax and the softmax cross-entropy loss with its gradient",
    functions=("softmax", "softmax_cross_entropy"),
    checks=(
        Check("probs shape", "shape", _probs_shape),
        Check("loss is a real scalar", "shape", _loss_scalar),
        Check("dlogits shape", "shape", _dlogits_shape),
        Check("probs values", "value", _probs_values, needs=("probs shape",)),
        Check("loss values", "value", _loss_values, needs=("loss is a real scalar",)),
        Check("dlogits values", "value", _dlogits_values, needs=("dlogits shape",)),
        Check("gradient dlogits", "gradient", _gradient, needs=("loss is a real scalar", "dlogits shape")),
        Check("logits of +-1e4: exact, no warnings", "edge", _huge_logits, needs=_SHAPES),
        Check("gap of 1e4 costs about 1e4", "edge", _large_gap, needs=_SHAPES),
        Check("C = 1: probs 1, loss 0", "edge", _one_class, needs=_SHAPES),
        Check("N = 1", "edge", _one_sample, needs=_SHAPES),
        Check("inputs not modified", "behaviour", _not_modified, runs_last=True),
        Check("deterministic", "behaviour", _deterministic, needs=_SHAPES),
    ),
    speed=_speed,
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
