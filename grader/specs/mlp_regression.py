"""mlp_regression: a second, smaller capstone, a one-hidden-layer sigmoid MLP that fits a sine.

The model is checked whole (grader/specs/_capstone.py): shapes, the initial
weights, predictions and loss against the reference at parameters the
grader sets, every parameter's gradient against central differences of the
learner's own loss; then it is trained with the learner's own sgd on
y = 20 sin(2 pi x) (grader/datasets.py) until its mean squared error, which
is computed here from its predictions, is below TARGET_ERROR.
"""
from __future__ import annotations

import numpy as np

from grader.datasets import sine
from grader.engine import Session
from grader.kata import Check, CheckFailed, Kata
from grader.returns import describe_value
from grader.specs._capstone import Capstone, Net, checks_for, curve, speed, train


def _param_shapes(kwargs: dict) -> dict[str, tuple[tuple[int, ...], str]]:
    inputs, hidden, outputs = kwargs["input_dim"], kwargs["hidden_dim"], kwargs["output_dim"]
    return {
        "W1": ((inputs, hidden), "(input_dim, hidden_dim)"),
        "b1": ((hidden,), "(hidden_dim,)"),
        "W2": ((hidden, outputs), "(hidden_dim, output_dim)"),
        "b2": ((outputs,), "(output_dim,)"),
    }


def _batch(rng: np.random.Generator, net: Net) -> tuple[np.ndarray, np.ndarray]:
    X = rng.uniform(-2.0, 2.0, size=(net.n, net.kwargs["input_dim"]))
    return X, 3.0 * rng.standard_normal((net.n, net.kwargs["output_dim"]))


def _mistakes(reference, params: dict, X: np.ndarray, kwargs: dict) -> list[tuple[str, np.ndarray]]:
    hidden = 1.0 / (1.0 + np.exp(-(X @ params["W1"] + params["b1"])))
    predictions = hidden @ params["W2"] + params["b2"]
    return [
        ("predictions squashed into (0, 1): no sigmoid on the output layer, which stays linear",
         1.0 / (1.0 + np.exp(-predictions))),
        ("no sigmoid on the hidden layer", (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]),
    ]


CAPSTONE = Capstone(model="MLPRegressor", outputs="predictions", output_size="output_dim",
                    param_shapes=_param_shapes, make_batch=_batch, mistakes=_mistakes)


def _net(label: str, n: int, input_dim=2, hidden_dim=4, output_dim=3, weight_scale=0.5, reg=0.1) -> Net:
    return Net(label, {"input_dim": input_dim, "hidden_dim": hidden_dim, "output_dim": output_dim,
                       "weight_scale": weight_scale, "reg": reg}, n)


NET = _net("small net", n=6, input_dim=3, hidden_dim=7, output_dim=2)
GRADIENT_NET = _net("tiny net", n=5)
INIT_NET = _net("initial weights", n=4, input_dim=8, hidden_dim=64, output_dim=4, reg=0.0)

#: Training: TRAIN_NET must bring the mean squared error on SAMPLES points below TARGET_ERROR
#: within EPOCHS epochs of sgd on minibatches of BATCH, the learning rate decaying by DECAY per epoch.
TRAIN_NET = _net("training net", n=8, input_dim=1, hidden_dim=32, output_dim=1, weight_scale=2.0, reg=0.0)
SAMPLES, EPOCHS, BATCH, LEARNING_RATE, DECAY, TARGET_ERROR = 200, 150, 8, 0.05, 0.99, 20.0


def _fits(session: Session) -> str:
    X, y = sine(SAMPLES, seed=0)
    trained = train(session, CAPSTONE, TRAIN_NET, "train_regressor", "training your MLPRegressor", X, y,
                    epochs=EPOCHS, batch_size=BATCH, learning_rate=LEARNING_RATE, decay=DECAY,
                    target=TARGET_ERROR, seed=0)
    predictions = session.call(trained.model.attr("loss"), X).value
    if not isinstance(predictions, np.ndarray) or predictions.shape != y.shape:
        shape = f" of shape {predictions.shape}" if isinstance(predictions, np.ndarray) else ""
        raise CheckFailed(f"after training, loss(X) on {SAMPLES} points returned {describe_value(predictions)}"
                          f"{shape}, not predictions of shape {y.shape}")
    error = float(np.mean((predictions.astype(np.float64) - y) ** 2))
    errors = curve(trained.losses, unit="epoch")
    run = (f"{trained.epochs or '?'} epochs of your sgd (learning_rate {LEARNING_RATE:g}, {1 - DECAY:.0%} less "
           f"each epoch, minibatches of {BATCH}; {trained.seconds:.2f} s)")
    if not error < TARGET_ERROR:  # a NaN fails too
        hint = ""
        if np.all((predictions > 0) & (predictions < 1)):
            hint = " (every prediction is in (0, 1): is there a sigmoid on the output layer?)"
        raise CheckFailed(f"after {run}, the mean squared error over the {SAMPLES} points is {error:.4g}, not "
                          f"below {TARGET_ERROR:g} (predicting 0 everywhere gives 200){hint}; "
                          f"error by epoch {errors}")
    return (f"mean squared error {error:.3g} < {TARGET_ERROR:g} after {run}; "
            f"error by epoch {errors}")


_SHARED = checks_for(CAPSTONE, shapes=NET, values=NET, gradients=GRADIENT_NET, init=INIT_NET)

KATA = Kata(
    name="mlp_regression",
    title="capstone: a one-hidden-layer sigmoid MLP from your katas, fitting a sine with your sgd",
    functions=("MLPRegressor",),
    checks=(
        _SHARED["params shapes"],
        _SHARED["predictions shape"],
        _SHARED["grads shapes"],
        _SHARED["initial weights"],
        _SHARED["predictions values"],
        _SHARED["loss value with reg"],
        *(_SHARED[f"gradient {name}"] for name in ("W1", "b1", "W2", "b2")),
        _SHARED["X and y not modified"],
        _SHARED["seeded weights"],
        Check("fits 20 sin(2 pi x) with your sgd", "behaviour", _fits),
    ),
    speed=speed(CAPSTONE, TRAIN_NET, "loss(X, y) with grads, a minibatch of 8 points, the training net"),
    depends_on=("linear", "activations", "mse_loss", "optimizers"),
    timeout=20.0,
)
