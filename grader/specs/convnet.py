"""convnet: the capstone, a three-layer convolutional network built from the learner's layer katas, checked
whole (grader/authoring/model.py) and trained with the learner's adam until it classifies all 50 images right."""
from __future__ import annotations

import numpy as np

from grader.authoring.datasets import pattern_images
from grader.authoring.kata import CheckFailed
from grader.authoring.model import (Edge, InitialLoss, Mistake, Model, Net, Trained, Training, model_kata, skipped,
                                    softmaxed)
from grader.checks.progress import curve

NET = Net("small net", {"input_dim": (3, 8, 8), "num_filters": 4, "filter_size": 3, "hidden_dim": 10,
                        "num_classes": 5, "weight_scale": 1e-2, "reg": 0.1}, n=4)
#: Training: TRAIN_NET fits SAMPLES images with adam, at most EPOCHS epochs of minibatches of BATCH.
TRAIN_NET = NET.variant("training net", n=10, num_filters=8, hidden_dim=64, num_classes=10, reg=0.0)
SAMPLES, EPOCHS, BATCH, LEARNING_RATE = 50, 40, 10, 1e-2


def _accuracy(trained: Trained, y: np.ndarray) -> str:
    """Every training image classified right, counted here from the trained model's scores."""
    right = int(np.sum(np.argmax(trained.outputs, axis=1) == y))
    run = f"{trained.epochs or '?'} epochs ({len(trained.losses)} steps of your adam, learning_rate " \
          f"{LEARNING_RATE:g}, minibatches of {BATCH}; {trained.seconds:.2f} s)"
    if right < SAMPLES:
        raise CheckFailed(f"after {run}, {right} of the {SAMPLES} training images are classified right "
                          f"(accuracy {right / SAMPLES:.2f}), not all; loss {curve(trained.losses)}")
    return f"accuracy 1.0 on {SAMPLES} images after {run}; loss {curve(trained.losses)}"


CONVNET = Model(
    name="ThreeLayerConvNet",
    outputs="scores",
    params={"W1": "(num_filters, C, filter_size, filter_size)", "b1": "(num_filters,)",
            "W2": "(num_filters * (H // 2) * (W // 2), hidden_dim)", "b2": "(hidden_dim,)",
            "W3": "(hidden_dim, num_classes)", "b3": "(num_classes,)"},
    batch=lambda rng, net: (rng.standard_normal((net.n, *net.kwargs["input_dim"])),
                            rng.integers(0, net.kwargs["num_classes"], size=net.n)),
    net=NET,
    gradient_net=NET.variant("tiny net", n=2, input_dim=(3, 4, 4), num_filters=2, hidden_dim=5, num_classes=3,
                             weight_scale=1e-1),
    init_net=NET.variant("initial weights", num_filters=16, hidden_dim=64, num_classes=10, reg=0.0),
    initial_loss=InitialLoss(
        "initial loss near log(num_classes)", TRAIN_NET.variant("fresh net", weight_scale=1e-3),
        lambda: pattern_images(10, seed=0), expected=float(np.log(10)), tolerance=0.05,
        why="weight_scale 1e-3 makes every score about 0, so every class about equally likely: a loss of log(10)"),
    edges=(
        Edge("filter_size 5 (pad 2)", NET.variant("filter_size 5", n=3, num_filters=3, filter_size=5, hidden_dim=6,
                                                  num_classes=4),
             why="pad = (filter_size - 1) // 2 keeps the conv output H x W"),
        Edge("non-square images (8x6)", NET.variant("8x6 images", n=3, input_dim=(2, 8, 6), num_filters=3,
                                                    hidden_dim=6, num_classes=4),
             why="the pooled maps are (H // 2) x (W // 2), so W2 has num_filters * (H // 2) * (W // 2) rows"),
    ),
    mistakes=(
        Mistake("no relu after the conv layer",
                "Your scores match the network without the relu between conv and pool: apply relu to the conv "
                "output before max pooling.", outputs=skipped("relu_forward", where=lambda x: x.ndim == 4),
                hint="no relu after the conv layer"),
        Mistake("no relu after the hidden layer",
                "Your scores match the network without the relu after the hidden linear layer: apply relu "
                "between the two linear layers.", outputs=skipped("relu_forward", where=lambda x: x.ndim == 2),
                hint="no relu after the hidden linear layer"),
        Mistake("probabilities instead of scores",
                "Your loss(X) returns softmax probabilities: return the scores, the softmax's input, and apply "
                "the softmax only inside the loss.", outputs=softmaxed,
                hint="softmax probabilities: loss(X) returns the scores, the softmax's input"),
    ),
    training=Training(f"fits {SAMPLES} images with your adam", TRAIN_NET, "train_classifier",
                      lambda: pattern_images(SAMPLES, seed=0), judge=_accuracy, samples="images",
                      options=dict(epochs=EPOCHS, batch_size=BATCH, learning_rate=LEARNING_RATE)),
)

KATA = model_kata(
    CONVNET, "loss(X, y) with grads, a minibatch of 10 images 3x8x8, the training net",
    name="convnet",
    title="capstone: a three-layer convnet from your layer katas, trained with your adam",
    depends_on=("conv2d", "activations", "maxpool", "linear", "softmax_ce", "optimizers"),
    timeout=30.0,
    hints=(
        "Chain your own katas: each forward returns a cache, and backward runs the same layers in reverse, "
        "each handing its input's gradient to the layer below. The L2 term touches the loss and the weight "
        "gradients, nothing else.",
        "Forward: conv (pad = (filter_size - 1) // 2) - relu - 2x2 max pool - linear - relu - linear gives "
        "the scores, and softmax_cross_entropy gives the data loss and dscores. Backward: linear, relu, "
        "linear, maxpool, relu, conv in turn, then add reg * W to each weight's gradient.",
        "loss = data_loss + 0.5 * reg * (sum(W1**2) + sum(W2**2) + sum(W3**2)), and grads['Wk'] = dWk + reg * Wk.",
    ),
)
