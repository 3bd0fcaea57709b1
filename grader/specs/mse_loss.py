"""mse_loss: the mean squared error over all elements, and its gradient.

The random cases are 2-D with D > 1 (so dividing by N instead of pred.size shows) and 1-D. The edge rows
hold the contract's shape rule: arrays of different shapes raise ValueError, in particular (N,) against
(N, 1), which numpy would silently broadcast to (N, N).
"""
import numpy as np

from grader.authoring.functions import (Edge, Factor, Function, Inputs, Value, function_checks, function_mistake,
                                        function_speed, raised)
from grader.authoring.kata import Kata, KnownMistake


def _inputs(pred: tuple[int, ...], target: tuple[int, ...] | None = None, label: str = "") -> Inputs:
    label = label or (f"pred {'x'.join(map(str, pred))}" if target is None else
                      f"pred of shape {pred} and target of shape {target}: arrays of different shapes")
    return Inputs(label, lambda rng: {"pred": rng.standard_normal(pred), "target": rng.standard_normal(target or pred)})


def _broadcast(arguments: dict) -> str:
    pred, target = arguments.values()
    try:
        shape = np.broadcast_shapes(pred.shape, target.shape)
    except ValueError:
        return "numpy alone refuses these: was one reshaped, transposed or flattened to fit the other?"
    return (f"numpy broadcasts pred - target to {shape}, a loss over {int(np.prod(shape))} pairs instead of "
            f"{pred.size}: compare the shapes first, and never reshape one to fit")


MSE = Function(
    "mse_loss", (Value("loss"), Value("dpred", "pred", of="loss", wrt="pred")), (_inputs((6, 4)), _inputs((9,))),
    quantities=lambda arguments: {"N": arguments["pred"].shape[0], "pred.size": arguments["pred"].size},
    factors=(Factor("loss", 0.5, "the loss is the mean of (pred - target)**2, with no 1/2"),
             Factor("dpred", 0.5, "the derivative of (pred - target)**2 is 2*(pred - target)"),
             Factor("dpred", -1.0, "the gradient with respect to pred is 2*(pred - target)/pred.size"),
             Factor("loss dpred", lambda sizes: sizes["pred.size"] / sizes["N"],
                    "divided by N, the batch size, instead of pred.size, the number of elements"),
             Factor("loss dpred", lambda sizes: sizes["pred.size"], "the mean over all elements divides by pred.size")))
THREE_D = _inputs((2, 3, 4), label="pred 2x3x4 (the mean over all 24 elements)")
FLAT_COLUMN, TRANSPOSED = _inputs((5,), (5, 1)), _inputs((3, 4), (4, 3))
EQUAL = Inputs("target equal to pred (pred 4x3)",
               lambda rng: dict.fromkeys(("pred", "target"), rng.standard_normal((4, 3))))
EDGES = (
    Edge("3-D pred", (("mse_loss", THREE_D),), gradient=True),
    Edge("target equal to pred: loss 0, dpred 0", (("mse_loss", EQUAL),)),
    Edge("shapes (N,) and (N, 1) raise ValueError", (("mse_loss", FLAT_COLUMN), ("mse_loss", _inputs((5, 1), (5,)))),
         raises="ValueError", if_returned=_broadcast),
    Edge("shapes (3, 4) and (4, 3) raise ValueError", (("mse_loss", TRANSPOSED),), raises="ValueError",
         if_returned=_broadcast),
)


def _mistake(name: str, explanation: str, loss=lambda pred, target: np.mean((pred - target) ** 2),
             dpred=lambda pred, target: 2 * (pred - target) / pred.size, cases=(THREE_D,)) -> KnownMistake:
    """The mistake's loss and dpred, the right ones unless given; dpred None (shapes that must raise): only the loss."""
    return function_mistake(MSE, name, explanation, lambda reference, pred, target: (
        loss(pred, target), dpred and dpred(pred, target)), cases, ("loss", "dpred")[:1 + bool(dpred)])


MISTAKES = (
    _mistake("gradient without the 2", "Your dpred is (pred - target)/pred.size, half the gradient: the derivative "
             "of the square brings down a 2, dpred = 2*(pred - target)/pred.size.",
             dpred=lambda pred, target: (pred - target) / pred.size),
    _mistake("gradient without 2/pred.size", "Your dpred is pred - target: the loss is the mean of the squares, so "
             "its gradient carries the square's 2 and the mean's 1/pred.size, dpred = 2*(pred - target)/pred.size.",
             dpred=lambda pred, target: pred - target),
    _mistake("gradient divided by the batch size", "Your dpred divides by N = pred.shape[0]: the loss is a mean over "
             "every element, so divide by pred.size.", dpred=lambda pred, target: 2 * (pred - target) / pred.shape[0]),
    _mistake("loss divided by the batch size", "Your loss is the sum of squares over N = pred.shape[0]: the loss is "
             "the mean over every element, np.mean((pred - target)**2).",
             loss=lambda pred, target: np.sum((pred - target) ** 2) / pred.shape[0]),
    KnownMistake("shapes checked with assert", "Your shape check is an assert, which raises AssertionError (and "
                 "vanishes under python -O): raise ValueError when pred.shape != target.shape.",
                 lambda session: raised(session, "mse_loss", FLAT_COLUMN) == "AssertionError"),
    _mistake("shapes broadcast silently", "Your loss for pred (5,) and target (5, 1) is the mean over the (5, 5) "
             "array numpy broadcasts them to: compare the shapes first and raise ValueError when they differ.",
             dpred=None, cases=(FLAT_COLUMN,)),
    _mistake("target reshaped to pred's shape", "Your loss for pred (3, 4) and target (4, 3) pairs up "
             "target.reshape(pred.shape), the wrong elements: raise ValueError when the shapes differ instead of "
             "reshaping.", lambda pred, target: np.mean((pred - target.reshape(pred.shape)) ** 2), None, (TRANSPOSED,)),
)

KATA = Kata(name="mse_loss", title="mean squared error loss and its gradient (no silent broadcasting)",
            functions=("mse_loss",), checks=function_checks((MSE,), EDGES), mistakes=MISTAKES,
            speed=function_speed("mse_loss on pred 512x128", ("mse_loss", _inputs((512, 128)))),
            hints=("The loss is a mean over every element, not over the batch; and numpy will happily broadcast "
                   "two arrays of different shapes, so check the shapes yourself first.",
                   "Raise ValueError unless pred.shape == target.shape, take diff = pred - target, average diff**2 "
                   "over all pred.size elements, and differentiate that mean element by element.",
                   "loss = np.mean((pred - target)**2), dpred = 2*(pred - target)/pred.size."))
