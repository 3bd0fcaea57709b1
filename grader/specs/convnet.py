"""convnet: the capstone, a three-layer convolutional network built from the learner's layer katas.

The model is checked whole (grader/specs/_capstone.py): shapes, the initial
weights and loss, scores and loss against the reference at parameters the
grader sets, every parameter's gradient against central differences of the
learner's own loss, two edge configurations; then it is trained with the
learner's own adam on generated images (grader/datasets.py) until it
classifies all 50 right, the accuracy counted here from its scores.
"""
from __future__ import annotations

import numpy as np

from grader.authoring.datasets import pattern_images
from grader.checks.session import Session
from grader.authoring.kata import Check, CheckFailed, Kata
from grader.checks.returns import describe_value
from grader.checks.progress import curve
from grader.authoring.model import (
    Capstone,
    Net,
    OutputMistake,
    TrainingRun,
    checks_for,
    initial_loss,
    mistakes_for,
    outputs_values,
    speed,
)


def _param_shapes(kwargs: dict) -> dict[str, tuple[tuple[int, ...], str]]:
    C, H, W = kwargs["input_dim"]
    F, k = kwargs["num_filters"], kwargs["filter_size"]
    hidden, classes = kwargs["hidden_dim"], kwargs["num_classes"]
    return {
        "W1": ((F, C, k, k), "(num_filters, C, filter_size, filter_size)"),
        "b1": ((F,), "(num_filters,)"),
        "W2": ((F * (H // 2) * (W // 2), hidden), "(num_filters * (H // 2) * (W // 2), hidden_dim)"),
        "b2": ((hidden,), "(hidden_dim,)"),
        "W3": ((hidden, classes), "(hidden_dim, num_classes)"),
        "b3": ((classes,), "(num_classes,)"),
    }


def _batch(rng: np.random.Generator, net: Net) -> tuple[np.ndarray, np.ndarray]:
    X = rng.standard_normal((net.n, *net.kwargs["input_dim"]))
    return X, rng.integers(0, net.kwargs["num_classes"], size=net.n)


def _scores(reference, params: dict, X: np.ndarray, pad: int, conv_relu: bool = True,
            hidden_relu: bool = True) -> np.ndarray:
    """The network's scores from the reference's layers, optionally without one of its relus."""
    out, _ = reference.conv2d_forward(X, params["W1"], params["b1"], stride=1, pad=pad)
    out = np.maximum(out, 0) if conv_relu else out
    out, _ = reference.maxpool_forward(out, 2, 2, 2)
    out = out.reshape(len(X), -1) @ params["W2"] + params["b2"]
    out = np.maximum(out, 0) if hidden_relu else out
    return out @ params["W3"] + params["b3"]


def _pad(kwargs: dict) -> int:
    return (kwargs["filter_size"] - 1) // 2


OUTPUT_MISTAKES = (
    OutputMistake("no relu after the conv layer",
                  "Your scores match the network without the relu between conv and pool: apply relu to the "
                  "conv output before max pooling.", "no relu after the conv layer",
                  lambda reference, params, X, kwargs: _scores(reference, params, X, _pad(kwargs), conv_relu=False)),
    OutputMistake("no relu after the hidden layer",
                  "Your scores match the network without the relu after the hidden linear layer: apply relu "
                  "between the two linear layers.", "no relu after the hidden linear layer",
                  lambda reference, params, X, kwargs: _scores(reference, params, X, _pad(kwargs), hidden_relu=False)),
    OutputMistake("probabilities instead of scores",
                  "Your loss(X) returns softmax probabilities: return the scores, the softmax's input, and "
                  "apply the softmax only inside the loss.",
                  "softmax probabilities: loss(X) returns the scores, the softmax's input",
                  lambda reference, params, X, kwargs: _softmax(_scores(reference, params, X, _pad(kwargs)))),
)


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return exp / exp.sum(axis=1, keepdims=True)


CAPSTONE = Capstone(model="ThreeLayerConvNet", outputs="scores", output_size="num_classes",
                    param_shapes=_param_shapes, make_batch=_batch, output_mistakes=OUTPUT_MISTAKES)


def _net(label: str, n: int, input_dim=(3, 8, 8), num_filters=4, filter_size=3, hidden_dim=10,
         num_classes=5, weight_scale=1e-2, reg=0.1) -> Net:
    return Net(label, {"input_dim": input_dim, "num_filters": num_filters, "filter_size": filter_size,
                       "hidden_dim": hidden_dim, "num_classes": num_classes, "weight_scale": weight_scale,
                       "reg": reg}, n)


NET = _net("small net", n=4)
GRADIENT_NET = _net("tiny net", n=2, input_dim=(3, 4, 4), num_filters=2, hidden_dim=5, num_classes=3,
                    weight_scale=1e-1)
INIT_NET = _net("initial weights", n=4, num_filters=16, hidden_dim=64, num_classes=10, reg=0.0)
FRESH_NET = _net("fresh net", n=10, num_filters=8, hidden_dim=64, num_classes=10, weight_scale=1e-3, reg=0.0)
FILTER_5 = _net("filter_size 5", n=3, num_filters=3, filter_size=5, hidden_dim=6, num_classes=4)
NON_SQUARE = _net("8x6 images", n=3, input_dim=(2, 8, 6), num_filters=3, hidden_dim=6, num_classes=4)

#: Training: TRAIN_NET fits SAMPLES images with adam, at most EPOCHS epochs of minibatches of BATCH.
TRAIN_NET = _net("training net", n=10, num_filters=8, hidden_dim=64, num_classes=10, reg=0.0)
SAMPLES, EPOCHS, BATCH, LEARNING_RATE = 50, 40, 10, 1e-2


def _images(n: int) -> tuple[np.ndarray, np.ndarray]:
    return pattern_images(n, num_classes=10, image_shape=(3, 8, 8), seed=0)


TRAINING_RUN = TrainingRun(CAPSTONE, TRAIN_NET, "train_classifier", "training your ThreeLayerConvNet",
                           lambda: _images(SAMPLES),
                           {"epochs": EPOCHS, "batch_size": BATCH, "learning_rate": LEARNING_RATE, "seed": 0})


def _fits(session: Session) -> str:
    _, y = TRAINING_RUN.data_for(session)
    trained = TRAINING_RUN.run(session)
    scores = trained.outputs
    if not isinstance(scores, np.ndarray) or scores.shape != (SAMPLES, 10):
        raise CheckFailed(f"after training, loss(X) on {SAMPLES} images returned {describe_value(scores)}, "
                          f"not scores of shape ({SAMPLES}, 10)")
    right = int(np.sum(np.argmax(scores, axis=1) == y))
    steps = len(trained.losses)
    run = f"{trained.epochs or '?'} epochs ({steps} steps of your adam, learning_rate {LEARNING_RATE:g}, " \
          f"minibatches of {BATCH}; {trained.seconds:.2f} s)"
    if right < SAMPLES:
        raise CheckFailed(f"after {run}, {right} of the {SAMPLES} training images are classified right "
                          f"(accuracy {right / SAMPLES:.2f}), not all; loss {curve(trained.losses)}")
    return f"accuracy 1.0 on {SAMPLES} images after {run}; loss {curve(trained.losses)}"


_SHARED = checks_for(CAPSTONE, shapes=NET, values=NET, gradients=GRADIENT_NET, init=INIT_NET)

KATA = Kata(
    name="convnet",
    title="capstone: a three-layer convnet from your layer katas, trained with your adam",
    functions=("ThreeLayerConvNet",),
    checks=(
        _SHARED["params shapes"],
        _SHARED["scores shape"],
        _SHARED["grads shapes"],
        _SHARED["initial weights"],
        Check("initial loss near log(num_classes)", "value",
              initial_loss(CAPSTONE, FRESH_NET, lambda: _images(FRESH_NET.n), expected=float(np.log(10)),
                           tolerance=0.05, why="weight_scale 1e-3 makes every score about 0, so every class "
                                               "about equally likely: a loss of log(10)"),
              needs=("grads shapes",)),
        _SHARED["scores values"],
        _SHARED["loss value with reg"],
        *(_SHARED[f"gradient {name}"] for name in ("W1", "b1", "W2", "b2", "W3", "b3")),
        Check("filter_size 5 (pad 2)", "edge",
              outputs_values(CAPSTONE, FILTER_5, why="pad = (filter_size - 1) // 2 keeps the conv output H x W"),
              needs=("scores shape",)),
        Check("non-square images (8x6)", "edge",
              outputs_values(CAPSTONE, NON_SQUARE, why="the pooled maps are (H // 2) x (W // 2), so W2 has "
                                                       "num_filters * (H // 2) * (W // 2) rows"),
              needs=("scores shape",)),
        _SHARED["X and y not modified"],
        _SHARED["seeded weights"],
        Check(f"fits {SAMPLES} images with your adam", "behaviour", _fits, start=TRAINING_RUN.start),
    ),
    speed=speed(CAPSTONE, TRAIN_NET, "loss(X, y) with grads, a minibatch of 10 images 3x8x8, the training net"),
    depends_on=("conv2d", "activations", "maxpool", "linear", "softmax_ce", "optimizers"),
    timeout=30.0,
    hints=(
        "Chain your own katas: each forward returns a cache, and backward runs the same layers in reverse, "
        "each handing its input's gradient to the layer below. The L2 term touches the loss and the weight "
        "gradients, nothing else.",
        "Forward: conv (pad = (filter_size - 1) // 2) - relu - 2x2 max pool - linear - relu - linear gives "
        "the scores, and softmax_cross_entropy gives the data loss and dscores. Backward: linear, relu, "
        "linear, maxpool, relu, conv in turn, then add reg * W to each weight's gradient.",
        "loss = data_loss + 0.5 * reg * (sum(W1**2) + sum(W2**2) + sum(W3**2)), and "
        "grads['Wk'] = dWk + reg * Wk.",
    ),
    mistakes=mistakes_for(CAPSTONE, values=NET, gradients=GRADIENT_NET, init=INIT_NET),
)
