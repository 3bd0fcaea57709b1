"""mlp_regression: a smaller capstone, a one-hidden-layer sigmoid MLP checked whole (grader/authoring/model.py)
and trained with the learner's sgd until its mean squared error on 20 sin(2 pi x) is below TARGET_ERROR."""
from __future__ import annotations

import numpy as np

from grader.authoring.datasets import sine
from grader.authoring.kata import CheckFailed
from grader.authoring.model import Mistake, Model, Net, Trained, Training, model_kata, patched_loss, skipped
from grader.checks.progress import curve

GRADIENT_NET = Net("tiny net", {"input_dim": 2, "hidden_dim": 4, "output_dim": 3, "weight_scale": 0.5,
                                "reg": 0.1}, n=5)

#: Training: TRAIN_NET must bring the mean squared error on SAMPLES points below TARGET_ERROR
#: within EPOCHS epochs of sgd on minibatches of BATCH, the learning rate decaying by DECAY per epoch.
TRAIN_NET = GRADIENT_NET.variant("training net", n=8, input_dim=1, hidden_dim=32, output_dim=1, weight_scale=2.0,
                                 reg=0.0)
SAMPLES, EPOCHS, BATCH, LEARNING_RATE, DECAY, TARGET_ERROR = 200, 150, 8, 0.05, 0.99, 20.0


def _error(trained: Trained, y: np.ndarray) -> str:
    """The mean squared error of the trained model's predictions, computed here, below TARGET_ERROR."""
    error = float(np.mean((trained.outputs.astype(np.float64) - y) ** 2))
    errors = curve(trained.losses, unit="epoch")
    run = (f"{trained.epochs or '?'} epochs of your sgd (learning_rate {LEARNING_RATE:g}, {1 - DECAY:.0%} less "
           f"each epoch, minibatches of {BATCH}; {trained.seconds:.2f} s)")
    if not error < TARGET_ERROR:  # a NaN fails too
        squashed = np.all((trained.outputs > 0) & (trained.outputs < 1))
        hint = " (every prediction is in (0, 1): is there a sigmoid on the output layer?)" if squashed else ""
        raise CheckFailed(f"after {run}, the mean squared error over the {SAMPLES} points is {error:.4g}, not "
                          f"below {TARGET_ERROR:g} (predicting 0 everywhere gives 200){hint}; "
                          f"error by epoch {errors}")
    return f"mean squared error {error:.3g} < {TARGET_ERROR:g} after {run}; error by epoch {errors}"


MLP = Model(
    name="MLPRegressor",
    outputs="predictions",
    params={"W1": "(input_dim, hidden_dim)", "b1": "(hidden_dim,)", "W2": "(hidden_dim, output_dim)",
            "b2": "(output_dim,)"},
    batch=lambda rng, net: (rng.uniform(-2.0, 2.0, size=(net.n, net.kwargs["input_dim"])),
                            3.0 * rng.standard_normal((net.n, net.kwargs["output_dim"]))),
    net=GRADIENT_NET.variant("small net", n=6, input_dim=3, hidden_dim=7, output_dim=2),
    gradient_net=GRADIENT_NET,
    init_net=GRADIENT_NET.variant("initial weights", n=4, input_dim=8, hidden_dim=64, output_dim=4, reg=0.0),
    # Each a buggy copy of the reference: one of its layer functions swapped (patched_loss), or one added.
    mistakes=(
        Mistake("sigmoid on the output layer",
                "Your predictions are squashed into (0, 1) by a sigmoid after the output layer: a regressor's "
                "output layer stays linear.",
                outputs=lambda reference, model, X: reference.sigmoid_forward(model.loss(X))[0],
                hint="predictions squashed into (0, 1): no sigmoid on the output layer, which stays linear"),
        Mistake("no sigmoid on the hidden layer",
                "Your predictions match the network without the hidden sigmoid, a linear model: apply "
                "sigmoid_forward between the two linear layers.",
                outputs=skipped("sigmoid_forward"),
                hint="no sigmoid on the hidden layer"),
        Mistake("sigmoid derivative taken at z",
                "Your W1 and b1 gradients use z * (1 - z), the sigmoid's derivative formula applied to its "
                "input: hand sigmoid_backward the cache sigmoid_forward returned, so it uses h * (1 - h).",
                loss=lambda reference, model, X, y: patched_loss(  # the sigmoid's input as its cache
                    model, sigmoid_forward=lambda z: (reference.sigmoid_forward(z)[0], z))(X, y)),
        Mistake("sigmoid skipped in backward",
                "Your W1 and b1 gradients pass dh straight to the first layer: take it through "
                "sigmoid_backward first, dz = dh * h * (1 - h).",
                loss=lambda reference, model, X, y: patched_loss(model, sigmoid_backward=lambda dh, cache: dh)(X, y)),
    ),
    training=Training("fits 20 sin(2 pi x) with your sgd", TRAIN_NET, "train_regressor", lambda: sine(SAMPLES, seed=0),
                      {"epochs": EPOCHS, "batch_size": BATCH, "learning_rate": LEARNING_RATE, "decay": DECAY,
                       "target": TARGET_ERROR}, judge=_error, samples="points"),
)

KATA = model_kata(
    MLP, "loss(X, y) with grads, a minibatch of 8 points, the training net",
    name="mlp_regression",
    title="capstone: a one-hidden-layer sigmoid MLP from your katas, fitting a sine with your sgd",
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
)
