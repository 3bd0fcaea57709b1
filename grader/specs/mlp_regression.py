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

from grader.authoring.datasets import sine
from grader.checks.session import Session
from grader.authoring.kata import Check, CheckFailed, Kata
from grader.checks.returns import describe_value
from grader.checks.progress import curve
from grader.authoring.model import (
    Answer,
    Capstone,
    Net,
    OutputMistake,
    TrainingRun,
    checks_for,
    mistakes_for,
    model_mistake,
    speed,
)


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


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _predictions(params: dict, X: np.ndarray, hidden_sigmoid: bool = True) -> np.ndarray:
    hidden = X @ params["W1"] + params["b1"]
    return (_sigmoid(hidden) if hidden_sigmoid else hidden) @ params["W2"] + params["b2"]


OUTPUT_MISTAKES = (
    OutputMistake("sigmoid on the output layer",
                  "Your predictions are squashed into (0, 1) by a sigmoid after the output layer: a regressor's "
                  "output layer stays linear.",
                  "predictions squashed into (0, 1): no sigmoid on the output layer, which stays linear",
                  lambda reference, params, X, kwargs: _sigmoid(_predictions(params, X))),
    OutputMistake("no sigmoid on the hidden layer",
                  "Your predictions match the network without the hidden sigmoid, a linear model: apply "
                  "sigmoid_forward between the two linear layers.", "no sigmoid on the hidden layer",
                  lambda reference, params, X, kwargs: _predictions(params, X, hidden_sigmoid=False)),
)


def _first_layer_through(local):
    """Every gradient, W1's and b1's taken back through the hidden layer with `local(dh, z, h)` for dz."""
    def mistaken(answer: Answer) -> dict[str, np.ndarray]:
        params, X = answer.params, answer.X
        z = X @ params["W1"] + params["b1"]
        h = _sigmoid(z)
        predictions = h @ params["W2"] + params["b2"]
        dh = (2 * (predictions - answer.y) / predictions.size) @ params["W2"].T
        dz = local(dh, z, h)
        return {**answer.grads, "W1": X.T @ dz + answer.reg * params["W1"], "b1": dz.sum(axis=0)}
    return mistaken


CAPSTONE = Capstone(model="MLPRegressor", outputs="predictions", output_size="output_dim",
                    param_shapes=_param_shapes, make_batch=_batch, output_mistakes=OUTPUT_MISTAKES)


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


TRAINING_RUN = TrainingRun(CAPSTONE, TRAIN_NET, "train_regressor", "training your MLPRegressor",
                           lambda: sine(SAMPLES, seed=0),
                           {"epochs": EPOCHS, "batch_size": BATCH, "learning_rate": LEARNING_RATE, "decay": DECAY,
                            "target": TARGET_ERROR, "seed": 0})


def _fits(session: Session) -> str:
    _, y = TRAINING_RUN.data_for(session)
    trained = TRAINING_RUN.run(session)
    predictions = trained.outputs
    if not isinstance(predictions, np.ndarray) or predictions.shape != y.shape:
        raise CheckFailed(f"after training, loss(X) on {SAMPLES} points returned {describe_value(predictions)}, "
                          f"not predictions of shape {y.shape}")
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
        Check("fits 20 sin(2 pi x) with your sgd", "behaviour", _fits, start=TRAINING_RUN.start),
    ),
    speed=speed(CAPSTONE, TRAIN_NET, "loss(X, y) with grads, a minibatch of 8 points, the training net"),
    depends_on=("linear", "activations", "mse_loss", "optimizers"),
    timeout=20.0,
    hints=(
        "Chain your own katas: linear, sigmoid, linear, then mse_loss; backward runs the same layers in "
        "reverse, each handing its input's gradient to the layer below. The L2 term touches the loss and "
        "the weight gradients, nothing else.",
        "Forward: z = linear(X), h = sigmoid(z), predictions = linear(h), with no sigmoid on the output. "
        "Backward: mse_loss gives dpredictions, then linear_backward, sigmoid_backward with the sigmoid's "
        "own cache, linear_backward, and add reg * W to each weight's gradient.",
        "loss = mse + 0.5 * reg * (sum(W1**2) + sum(W2**2)); dz = dh * h * (1 - h) with h = sigmoid(z); "
        "grads['Wk'] = dWk + reg * Wk.",
    ),
    mistakes=mistakes_for(CAPSTONE, values=NET, gradients=GRADIENT_NET, init=INIT_NET) + (
        model_mistake(CAPSTONE, GRADIENT_NET, "sigmoid derivative taken at z",
                      "Your W1 and b1 gradients use z * (1 - z), the sigmoid's derivative formula applied to its "
                      "input: hand sigmoid_backward the cache sigmoid_forward returned, so it uses h * (1 - h).",
                      _first_layer_through(lambda dh, z, h: dh * z * (1 - z))),
        model_mistake(CAPSTONE, GRADIENT_NET, "sigmoid skipped in backward",
                      "Your W1 and b1 gradients pass dh straight to the first layer: take it through "
                      "sigmoid_backward first, dz = dh * h * (1 - h).",
                      _first_layer_through(lambda dh, z, h: dh)),
    ),
)
