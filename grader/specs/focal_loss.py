"""focal_loss: the multi-class softmax focal loss with its gradient, exact and stable.

dlogits is checked against central differences of the learner's own loss, every element, for gamma 2, 0.5 (below
1, where (1 - p_t)**(gamma - 1) is infinite at p_t = 1) and 1.5. The gamma 0 row compares with the softmax
cross-entropy computed here; the +-1e4 row puts p_t at exactly 1 and at 0 in one batch.
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, arguments, function_checks,
                                        function_mistake, function_speed, values)
from grader.authoring.kata import CheckFailed, Kata
from grader.checks.compare import compare_arrays, input_scale


def _logits(n: int, c: int, gamma: float, label: str = "") -> Inputs:
    """Logits ~ N(0, 2^2) (p_t spread over (0, 1)) and labels: small, so numerical gradients cover every element."""
    return Inputs(label or f"logits {n}x{c}, gamma {gamma:g}", lambda rng: {
        "logits": 2 * rng.standard_normal((n, c)), "labels": rng.integers(0, c, size=n)}, {"gamma": gamma})


def _fixed(label: str, logits: list, labels: list, gamma: float) -> Inputs:
    return Inputs(label, {"logits": np.array(logits, dtype=np.float64), "labels": np.array(labels)}, {"gamma": gamma})


FOCAL = Function("focal_loss", (Value("loss"), Value("dlogits", "logits", of="loss", wrt="logits")),
                 cases=(_logits(6, 5, 2.0), _logits(4, 7, 0.5), _logits(5, 3, 1.5)),
                 quantities=lambda arguments: {"N": len(arguments["labels"]), "C": arguments["logits"].shape[1]},
                 factors=(Factor("loss dlogits", lambda sizes: sizes["N"], "the loss is the mean over the batch, "
                                 "not the sum"),
                          Factor("loss dlogits", lambda sizes: 1 / sizes["C"], "the loss is the mean over the N "
                                 "examples, not over the N*C entries of a one-hot mask")))

_BIG = 1e4
# Rows 1 and 3: the true class leads by 1e4 (p_t exactly 1, 1 - p_t exactly 0); row 2: it trails by 1e4 (loss 1e4).
_HUGE = [[_BIG, -_BIG, 0, _BIG / 2], [0, _BIG, 0, 1], [-_BIG, -_BIG, -_BIG, 1 - _BIG], [0.5, -0.25, 1, 0]]
HUGE = tuple(_fixed(f"logits of +-1e4, gamma {gamma:g}", _HUGE, [0, 0, 3, 2], gamma) for gamma in (2.0, 0.5))
GAMMA_0 = _logits(6, 5, 0.0, "logits 6x5, gamma 0")
ONE_CLASS = _fixed("C = 1 (logits 4x1, gamma 0.5: loss 0, dlogits 0)", [[2.5], [-1.0], [0.0], [0.75]], [0] * 4, 0.5)
ONE_SAMPLE = Inputs("N = 1 (logits 1x6, gamma 2)", lambda rng: {"logits": rng.standard_normal((1, 6)),
                                                               "labels": np.array([4])}, {"gamma": 2.0})
NEGATIVE = Inputs("gamma -1", {"logits": np.zeros((2, 3)), "labels": np.array([0, 1])}, {"gamma": -1.0})


def _cross_entropy(logits: np.ndarray, labels: np.ndarray) -> tuple[float, np.ndarray]:
    """The softmax cross-entropy, mean over the batch, and its gradient."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = np.eye(logits.shape[1])[labels]
    return float(-np.mean(np.sum(onehot * log_probs, axis=1))), (np.exp(log_probs) - onehot) / len(labels)


def _equals_cross_entropy(session) -> None:
    got, args = values(session, FOCAL, GAMMA_0), arguments(session, GAMMA_0)
    for name, want in zip(("loss", "dlogits"), _cross_entropy(*args.values())):
        if mismatch := compare_arrays(name, want, got[name], input_scale(*args.values())):
            raise CheckFailed.from_mismatch(f"{GAMMA_0.label}: the focal loss with gamma 0 is the softmax "
                                            f"cross-entropy: {mismatch.describe()}", mismatch)


_STABLE = ("compute log p_t by log-sum-exp, 1 - p_t as -expm1(log p_t), and take gamma * (1 - p_t)**(gamma - 1) "
           "* p_t * log p_t as 0 where 1 - p_t is 0")
EDGES = (
    Edge("gamma 0 equals softmax cross-entropy", (("focal_loss", GAMMA_0),), first=_equals_cross_entropy,
         gradient=True),
    Edge("logits of +-1e4: exact, no warnings", tuple(("focal_loss", inputs) for inputs in HUGE), clean=_STABLE),
    Edge("C = 1: loss 0, dlogits 0", (("focal_loss", ONE_CLASS),), expect={"loss": 0.0, "dlogits": 0.0},
         clean=_STABLE),
    Edge("N = 1", (("focal_loss", ONE_SAMPLE),), gradient=True),
    Edge("gamma < 0 raises ValueError", (("focal_loss", NEGATIVE),), raises="ValueError",
         if_returned=lambda arguments: "a negative gamma weights the easy examples most: refuse it"),
)


# -- known mistakes: each a buggy copy built from softmax pieces -------------------

def _parts(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    onehot = np.eye(logits.shape[1])[labels]
    log_pt = log_probs[np.arange(len(labels)), labels]
    return np.exp(log_probs), onehot, log_pt, -np.expm1(log_pt)


def _constant_factor(reference, logits, labels, gamma=2.0):
    probs, onehot, log_pt, q = _parts(logits, labels)
    return reference.focal_loss(logits, labels, gamma)[0], q[:, None] ** gamma * (probs - onehot) / len(labels)


def _every_class(reference, logits, labels, gamma=2.0):
    probs, *_ = _parts(logits, labels)
    return float(np.mean(np.sum(-(1 - probs) ** gamma * np.log(probs), axis=1))), None


def _whole_product(reference, logits, labels, gamma=2.0):
    _, _, log_pt, q = _parts(logits, labels)
    return float(np.mean((-q * log_pt) ** gamma)), None


MISTAKES = (
    function_mistake(FOCAL, "focusing factor held constant in the gradient",
                     "Your dlogits is (1 - p_t)**gamma * (p - onehot) / N, the cross-entropy's gradient weighted by "
                     "the factor as if it were a constant: (1 - p_t)**gamma depends on the logits too, which adds "
                     "gamma * (1 - p_t)**(gamma - 1) * p_t * log(p_t) to the weight.", _constant_factor,
                     judged=("dlogits",)),
    function_mistake(FOCAL, "loss summed over the batch",
                     "Your loss and dlogits are N times the contract's: the loss is the MEAN over the batch, and "
                     "dlogits carries the 1/N.", lambda reference, logits, labels, gamma=2.0: tuple(
                         len(labels) * value for value in reference.focal_loss(logits, labels, gamma))),
    function_mistake(FOCAL, "focal term over every class",
                     "Your loss sums -(1 - p)**gamma * log(p) over every class, the per-class (sigmoid-style) focal "
                     "loss: the softmax focal loss takes only the true class's p_t = p[i, labels[i]].",
                     _every_class, judged=("loss",)),
    function_mistake(FOCAL, "gamma applied to log p",
                     "Your loss raises the whole product, ((1 - p_t) * -log p_t)**gamma, to the power gamma: only "
                     "the focusing factor is, -(1 - p_t)**gamma * log(p_t).", _whole_product, judged=("loss",)),
)

_SPEED = _logits(256, 100, 2.0, "logits 256x100, gamma 2")

KATA = Kata(
    name="focal_loss", title="the multi-class softmax focal loss and its gradient", functions=("focal_loss",),
    checks=function_checks((FOCAL,), EDGES), mistakes=MISTAKES,
    speed=function_speed("focal_loss on logits 256x100", ("focal_loss", _SPEED)),
    hints=("It is the softmax cross-entropy of the true class, each example weighted by (1 - p_t)**gamma; but that "
           "weight is a function of the logits, so it has a gradient of its own.",
           "Take log-softmax by log-sum-exp, pick log p_t per row, q = 1 - p_t = -expm1(log p_t); differentiate "
           "L = -q**gamma * log p_t through p_t and log p_t, using d log p_t/dz_j = [j = t] - p_j and "
           "dp_t/dz_j = p_t * ([j = t] - p_j).",
           "dlogits[i, j] = (gamma * q**(gamma - 1) * p_t * log p_t - q**gamma) * ([j = t] - p_j) / N, the first "
           "term 0 where q = 0."),
)
