"""mse_loss: the mean squared error over all elements, and its gradient.

The loss is a scalar function of pred, so its gradient is checked directly:
dpred against central differences of the learner's own loss, every
element. The random cases are 2-D with D > 1 (so dividing by N instead of
pred.size shows) and 1-D. The edge rows hold the contract's shape rule:
arrays of different shapes raise ValueError, in particular (N,) against
(N, 1), which numpy would silently broadcast to (N, N).
"""
from __future__ import annotations

import numpy as np

from grader.checks.compare import agree, compare_arrays, input_scale, same_outputs
from grader.checks.session import Session
from grader.checks.gradcheck import STEP, central_difference
from grader.checks.gradients import Numerical, judge_gradient
from grader.sandbox.process import LearnerError, Returned
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.results import Speed
from grader.checks.returns import (
    as_numbers,
    describe_value,
    expect_array,
    expect_raises,
    expect_tuple,
    real_scalar,
)
from grader.checks.speed import measure_speed

#: Shapes of pred (and target) in the random cases: small, so the numerical gradient covers every element.
SHAPES = ((6, 4), (9,))
THREE_D = (2, 3, 4)
SPEED_SHAPE = (512, 128)
_NAMES = ("loss", "dpred")


def _random_case(session: Session, shape: tuple[int, ...]) -> tuple[str, np.ndarray, np.ndarray]:
    """(label, pred, target), both N(0, 1)."""
    rng = session.rng("inputs", shape)
    return f"pred {'x'.join(str(n) for n in shape)}", rng.standard_normal(shape), rng.standard_normal(shape)


def _cases(session: Session) -> list[tuple[str, np.ndarray, np.ndarray]]:
    return [_random_case(session, shape) for shape in SHAPES]


# -- the learner's and the reference's answers, each computed once -------------

def _call(session: Session, label: str, pred: np.ndarray, target: np.ndarray, repeat: int = 0) -> Returned:
    def call() -> Returned:
        with session.about(label):
            return session.call("mse_loss", pred, target)
    return session.memo(("mse", label, repeat), call)


def _loss(session: Session, label: str, pred: np.ndarray, target: np.ndarray, repeat: int = 0) -> float:
    loss = expect_tuple(_call(session, label, pred, target, repeat).value, "mse_loss", _NAMES)[0]
    if real_scalar(loss) is None:
        raise CheckFailed(f"{label}: loss must be a real scalar (a float or a 0-d array), the mean over all "
                          f"elements; mse_loss returned {describe_value(loss)}")
    return real_scalar(loss)


def _dpred(session: Session, label: str, pred: np.ndarray, target: np.ndarray, repeat: int = 0) -> np.ndarray:
    dpred = expect_tuple(_call(session, label, pred, target, repeat).value, "mse_loss", _NAMES)[1]
    expect_array(dpred, "dpred")
    if dpred.shape != pred.shape:
        raise CheckFailed(f"{label}: dpred has shape {dpred.shape}, expected {pred.shape} (the shape of pred)")
    return dpred


def _reference(session: Session, label: str, pred: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
    return session.memo(("reference mse", label), lambda: session.reference_call("mse_loss", pred, target))


# -- comparisons with a hint for the classic mistakes ------------------------

def _scale(pred: np.ndarray, target: np.ndarray) -> float:
    return input_scale(pred, target)


def _sizes(pred: np.ndarray) -> dict[str, int]:
    """The quantities a constant ratio may be named after: N and pred.size."""
    return {"N": pred.shape[0], "pred.size": pred.size}


def _hint(name: str, expected: np.ndarray, got: np.ndarray, pred: np.ndarray) -> str:
    """Say which classic mistake `got` is, when it is one: a factor off, or the sign."""
    n, size = pred.shape[0], pred.size
    factors = [(0.5, " (the derivative of (pred - target)**2 is 2*(pred - target))"),
               (-1.0, " (the gradient with respect to pred is 2*(pred - target)/pred.size)")]
    if name == "loss":
        factors = [(0.5, " (the loss is the mean of (pred - target)**2, with no 1/2)")]
    if size != n:
        factors.append((size / n, " (divided by N, the batch size, instead of pred.size, the number of elements)"))
    factors.append((size, " (the mean over all elements divides by pred.size)"))
    for factor, hint in factors:
        if agree(factor * np.asarray(expected), got):
            return hint
    return ""


def _loss_agrees(session: Session, label: str, pred: np.ndarray, target: np.ndarray) -> bool:
    expected = _reference(session, label, pred, target)[0]
    return agree(expected, _loss(session, label, pred, target), _scale(pred, target))


def _expect_loss(session: Session, label: str, pred: np.ndarray, target: np.ndarray) -> None:
    if _loss_agrees(session, label, pred, target):
        return
    got = _loss(session, label, pred, target)
    expected = _reference(session, label, pred, target)[0]
    mismatch = compare_arrays("loss", np.array(expected), np.array(got), _scale(pred, target), _sizes(pred))
    raise CheckFailed(f"{label}: {mismatch.describe()}{_hint('loss', np.array(expected), np.array(got), pred)}")


def _expect_dpred(session: Session, label: str, pred: np.ndarray, target: np.ndarray) -> None:
    got = _dpred(session, label, pred, target)
    expected = _reference(session, label, pred, target)[1]
    mismatch = compare_arrays("dpred", expected, got, _scale(pred, target), _sizes(pred))
    if mismatch:
        raise CheckFailed(f"{label}: {mismatch.describe()}{_hint('dpred', expected, got, pred)}")


def _expect_gradient(session: Session, label: str, pred: np.ndarray, target: np.ndarray) -> str | None:
    """dpred against the reference and against central differences of the learner's own loss."""
    got = _dpred(session, label, pred, target)
    with session.about(f"{label}, at pred moved for numerical gradients"):
        outputs, _ = session.learner.perturbed_outputs(
            "mse_loss", (pred, target), {}, wrt=0, indices=np.arange(pred.size), h=STEP, item=0)
    if outputs.shape[2:] != ():
        raise CheckFailed(f"{label}: loss has shape {outputs.shape[2:]}; it must be a scalar to be differentiated")
    expected = _reference(session, label, pred, target)[1]
    return judge_gradient("dpred", got, expected, Numerical.everywhere(central_difference(outputs, np.array(1.0), STEP)),
                          forward_right=_loss_agrees(session, label, pred, target), label=label,
                          scale=_scale(pred, target), quantities=_sizes(pred), forward="loss",
                          hint=_hint("dpred", expected, got, pred))


def _must_raise(session: Session, pred_shape: tuple[int, ...], target_shape: tuple[int, ...]) -> None:
    """mse_loss on arrays of these two shapes raises ValueError; anything else fails the row."""
    rng = session.rng("mismatch", pred_shape, target_shape)
    pred, target = rng.standard_normal(pred_shape), rng.standard_normal(target_shape)
    what = f"pred of shape {pred_shape} and target of shape {target_shape}"
    try:
        broadcast = np.broadcast_shapes(pred_shape, target_shape)
    except ValueError:
        why = "numpy alone refuses these: was one reshaped, transposed or flattened to fit the other?"
    else:
        why = (f"numpy broadcasts pred - target to {broadcast}, a loss over {int(np.prod(broadcast))} "
               f"pairs instead of {pred.size}: compare the shapes first, and never reshape one to fit")
    expect_raises(lambda: session.call("mse_loss", pred, target, send=()), "ValueError",
                  f"{what}: arrays of different shapes", f"mse_loss returned normally ({why})")


# -- the rows -----------------------------------------------------------------

def _loss_scalar(session: Session) -> None:
    for label, pred, target in _cases(session):
        _loss(session, label, pred, target)


def _dpred_shape(session: Session) -> None:
    for label, pred, target in _cases(session):
        _dpred(session, label, pred, target)


def _loss_values(session: Session) -> None:
    for label, pred, target in _cases(session):
        _expect_loss(session, label, pred, target)


def _dpred_values(session: Session) -> None:
    for label, pred, target in _cases(session):
        _expect_dpred(session, label, pred, target)


def _gradient(session: Session) -> str | None:
    notes = [_expect_gradient(session, label, pred, target) for label, pred, target in _cases(session)]
    return next((note for note in notes if note), None)


def _three_d_case(session: Session) -> tuple[str, np.ndarray, np.ndarray]:
    label, pred, target = _random_case(session, THREE_D)
    return label + " (the mean over all 24 elements)", pred, target


def _three_d(session: Session) -> str | None:
    label, pred, target = _three_d_case(session)
    _expect_loss(session, label, pred, target)
    _expect_dpred(session, label, pred, target)
    return _expect_gradient(session, label, pred, target)


def _equal(session: Session) -> None:
    label, pred, _ = _random_case(session, (4, 3))
    label = f"target equal to pred ({label})"
    target = pred.copy()
    _expect_loss(session, label, pred, target)
    _expect_dpred(session, label, pred, target)


def _column_against_flat(session: Session) -> None:
    _must_raise(session, (5,), (5, 1))
    _must_raise(session, (5, 1), (5,))


def _transposed(session: Session) -> None:
    _must_raise(session, (3, 4), (4, 3))


def _not_modified(session: Session) -> None:
    """No call of any row changed pred or target."""
    for label, pred, target in _cases(session):
        _call(session, label, pred, target)
    session.check_inputs_unmodified()


def _deterministic(session: Session) -> None:
    """Same inputs, same outputs; what the outputs are is the other rows' business."""
    label, pred, target = _cases(session)[0]
    pairs = [expect_tuple(_call(session, label, pred, target, repeat).value, "mse_loss", _NAMES)
             for repeat in (0, 1)]
    for index, name in enumerate(_NAMES):
        first, second = as_numbers(pairs[0][index]), as_numbers(pairs[1][index])
        if first is not None and second is not None and not same_outputs(first, second):  # else: shape rows
            raise CheckFailed(f"{label}: mse_loss gave a different {name} for the same inputs")


# -- known mistakes: the learner's answers against a buggy one computed here ------

def _value_mistake(name: str, explanation: str, buggy) -> KnownMistake:
    """The learner's (loss, dpred) equal `buggy(pred, target)` on every case, and differ from the reference on one."""
    def detect(session: Session) -> bool:
        telling = False
        for label, pred, target in _cases(session) + [_three_d_case(session)]:
            mistaken = buggy(pred, target)
            got = (_loss(session, label, pred, target), _dpred(session, label, pred, target))
            right = _reference(session, label, pred, target)
            for wrong, mine, correct in zip(mistaken, got, right):
                if not same_outputs(np.asarray(wrong), np.asarray(mine)):
                    return False
                telling = telling or not same_outputs(np.asarray(wrong), np.asarray(correct))
        return telling
    return KnownMistake(name, explanation, detect)


def _mismatched(session: Session, pred_shape: tuple[int, ...], target_shape: tuple[int, ...]):
    """(pred, target, the learner's loss or the LearnerError it raised) for arrays of different shapes."""
    def compute():
        rng = session.rng("mismatch", pred_shape, target_shape)  # the arrays _must_raise sends
        pred, target = rng.standard_normal(pred_shape), rng.standard_normal(target_shape)
        try:
            returned = session.call("mse_loss", pred, target, send=(0,)).value
        except LearnerError as error:
            return pred, target, error
        return pred, target, returned[0] if isinstance(returned, (tuple, list)) and returned else None
    return session.memo(("mse mismatched", pred_shape, target_shape), compute)


def _asserts_shapes(session: Session) -> bool:
    error = _mismatched(session, (5,), (5, 1))[2]
    return isinstance(error, LearnerError) and error.exception_type == "AssertionError"


def _loss_of_mismatched(pred_shape, target_shape, buggy):
    """The learner's loss on these mismatched shapes equals `buggy(pred, target)`."""
    def detect(session: Session) -> bool:
        pred, target, loss = _mismatched(session, pred_shape, target_shape)
        numbers = as_numbers(loss)
        return numbers is not None and numbers.shape == () and same_outputs(numbers, np.asarray(buggy(pred, target)))
    return detect


MISTAKES = (
    _value_mistake("gradient without the 2",
                   "Your dpred is (pred - target)/pred.size, half the gradient: the derivative of the square "
                   "brings down a 2, dpred = 2*(pred - target)/pred.size.",
                   lambda pred, target: (np.mean((pred - target) ** 2), (pred - target) / pred.size)),
    _value_mistake("gradient without 2/pred.size",
                   "Your dpred is pred - target: the loss is the mean of the squares, so its gradient carries "
                   "the square's 2 and the mean's 1/pred.size, dpred = 2*(pred - target)/pred.size.",
                   lambda pred, target: (np.mean((pred - target) ** 2), pred - target)),
    _value_mistake("gradient divided by the batch size",
                   "Your dpred divides by N = pred.shape[0]: the loss is a mean over every element, so divide "
                   "by pred.size.",
                   lambda pred, target: (np.mean((pred - target) ** 2), 2 * (pred - target) / pred.shape[0])),
    _value_mistake("loss divided by the batch size",
                   "Your loss is the sum of squares over N = pred.shape[0]: the loss is the mean over every "
                   "element, np.mean((pred - target)**2).",
                   lambda pred, target: (np.sum((pred - target) ** 2) / pred.shape[0],
                                         2 * (pred - target) / pred.size)),
    KnownMistake("shapes checked with assert",
                 "Your shape check is an assert, which raises AssertionError (and vanishes under python -O): "
                 "raise ValueError when pred.shape != target.shape.", _asserts_shapes),
    KnownMistake("shapes broadcast silently",
                 "Your loss for pred (5,) and target (5, 1) is the mean over the (5, 5) array numpy broadcasts "
                 "them to: compare the shapes first and raise ValueError when they differ.",
                 _loss_of_mismatched((5,), (5, 1), lambda pred, target: np.mean((pred - target) ** 2))),
    KnownMistake("target reshaped to pred's shape",
                 "Your loss for pred (3, 4) and target (4, 3) pairs up target.reshape(pred.shape), the wrong "
                 "elements: raise ValueError when the shapes differ instead of reshaping.",
                 _loss_of_mismatched((3, 4), (4, 3),
                                     lambda pred, target: np.mean((pred - target.reshape(pred.shape)) ** 2))),
)


def _speed(session: Session) -> Speed:
    rng = session.rng("speed")
    pred, target = rng.standard_normal(SPEED_SHAPE), rng.standard_normal(SPEED_SHAPE)
    shape = "x".join(str(n) for n in SPEED_SHAPE)
    return measure_speed(session, f"mse_loss on pred {shape}",
                         lambda: session.reference.mse_loss(pred, target),
                         lambda: session.call("mse_loss", pred, target, send=(), watch_inputs=False).seconds)


#: The shape rows: until they pass, the rows that compare values would only repeat them.
_SHAPES = ("loss is a real scalar", "dpred shape")

KATA = Kata(
    name="mse_loss",
    title="mean squared error loss and its gradient (no silent broadcasting)",
    functions=("mse_loss",),
    checks=(
        Check("loss is a real scalar", "shape", _loss_scalar),
        Check("dpred shape", "shape", _dpred_shape),
        Check("loss values", "value", _loss_values, needs=("loss is a real scalar",)),
        Check("dpred values", "value", _dpred_values, needs=("dpred shape",)),
        Check("gradient dpred", "gradient", _gradient, needs=_SHAPES),
        Check("3-D pred", "edge", _three_d, needs=_SHAPES),
        Check("target equal to pred: loss 0, dpred 0", "edge", _equal, needs=_SHAPES),
        Check("shapes (N,) and (N, 1) raise ValueError", "edge", _column_against_flat),
        Check("shapes (3, 4) and (4, 3) raise ValueError", "edge", _transposed),
        Check("inputs not modified", "behaviour", _not_modified, runs_last=True),
        Check("deterministic", "behaviour", _deterministic, needs=_SHAPES),
    ),
    speed=_speed,
    hints=(
        "The loss is a mean over every element, not over the batch; and numpy will happily broadcast two "
        "arrays of different shapes, so check the shapes yourself first.",
        "Raise ValueError unless pred.shape == target.shape, take diff = pred - target, average diff**2 "
        "over all pred.size elements, and differentiate that mean element by element.",
        "loss = np.mean((pred - target)**2), dpred = 2*(pred - target)/pred.size.",
    ),
    mistakes=MISTAKES,
)
