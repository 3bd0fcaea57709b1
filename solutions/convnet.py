"""Reference solution for the convnet kata: a three-layer convolutional network from the layer katas.

The network is its layers' forward passes in a row, each keeping its cache,
and the backward passes in the opposite order, each handed its own cache.
The only new mathematics is the L2 term: 0.5*reg*sum(W**2) in the loss,
whose gradient reg*W joins each weight's gradient (and no bias's).
"""

import numpy as np

from .activations import relu_backward, relu_forward
from .conv2d import conv2d_backward, conv2d_forward
from .linear import linear_backward, linear_forward
from .maxpool import maxpool_backward, maxpool_forward
from .softmax_ce import softmax_cross_entropy


class ThreeLayerConvNet:
    """A three-layer convolutional network for classifying images:

        conv - relu - 2x2 max pool - linear - relu - linear - softmax

    built from your own katas: conv2d_forward/backward (conv2d),
    relu_forward/backward (activations), maxpool_forward/backward
    (maxpool), linear_forward/backward (linear) and softmax_cross_entropy
    (softmax_ce). The grader trains it with the adam of your optimizers
    kata.

    The layers, for a minibatch X of shape (N, C, H, W):
    - conv: num_filters filters of size filter_size x filter_size, stride 1,
      zero padding pad = (filter_size - 1) // 2 on every side, so that for
      an odd filter_size the output keeps the size H x W of the input:
      (N, num_filters, H, W).
    - relu.
    - max pool: 2x2 windows, stride 2: (N, num_filters, H // 2, W // 2).
      (H and W are even throughout the grader's checks.)
    - linear to hidden_dim units (the pooled maps flattened row-major, as
      linear_forward does), then relu: (N, hidden_dim).
    - linear to num_classes scores: (N, num_classes).
    - softmax cross-entropy of the scores against the labels y.

    Attributes:
    - params: a dict of float64 arrays, these keys and shapes:
        W1 (num_filters, C, filter_size, filter_size), b1 (num_filters,)
        W2 (num_filters * (H // 2) * (W // 2), hidden_dim), b2 (hidden_dim,)
        W3 (hidden_dim, num_classes), b3 (num_classes,)
      loss() reads the weights from self.params at every call: the grader
      sets entries of it (model.params["W1"] = new_W1) to train the network
      and to differentiate the loss numerically.
    - reg: the L2 regularisation strength.

    What is graded: all arrays are float64, and two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0. Checked:
    - the shapes of params, of the scores and of the grads;
    - the initial weights: for weight_scale 1e-2, each W's entries have a
      standard deviation within 25% of weight_scale and mean about 0 (up
      to a quarter of weight_scale); every b is all zeros;
    - with weight_scale 1e-3 and reg 0 (scores all about 0), the initial
      loss on 10 classes is within 0.05 of log(10);
    - with params the grader sets: the scores, and the loss with
      reg = 0.1, against the reference's;
    - the gradient of every parameter (W1, b1, W2, b2, W3, b3), with
      reg = 0.1, on a small net (input 3x4x4, 2 filters of 3x3, 5 hidden
      units, 3 classes, N = 2): against the reference's, and against
      central-difference numerical gradients of your own loss, every
      element;
    - edge cases: filter_size 5 (pad 2), and non-square images (8x6);
    - X and y not modified; the same seed giving the same weights, and
      another seed other weights;
    - training: 50 images of 3x8x8 in 10 classes (a bright shape at a
      place, plus noise; grader.datasets.pattern_images), a net of 8
      filters of 3x3, 64 hidden units, weight_scale 1e-2 and reg 0, trained
      with your adam (learning_rate 1e-2, minibatches of 10) for at most
      40 epochs (200 steps; it stops early once every training image is
      classified right, typically after 10 to 15 epochs), must reach
      training accuracy 1.0 as the grader counts it from your scores. The
      scorecard shows the loss curve. The adam is the one in
      optimizers.py beside the graded file (katas/optimizers.py for
      katas/convnet.py); where there is none, the optimizers module of the
      package your layers are imported from.
    The time limit for all of it is 30 s (the reference takes under 1 s);
    a slow conv2d may need `--timeout`.
    """

    def __init__(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
                 num_classes=10, weight_scale=1e-3, reg=0.0, seed=None):
        """Draw the initial weights; set self.params and self.reg.

        Inputs:
        - input_dim: (C, H, W), the shape of one input image
        - num_filters: Number of filters of the convolutional layer
        - filter_size: Height and width of each filter (odd)
        - hidden_dim: Number of units of the hidden linear layer
        - num_classes: Number of scores to produce
        - weight_scale: Standard deviation of the initial weights
        - reg: L2 regularisation strength
        - seed: Seed of the generator the weights are drawn from

        Every weight W1, W2, W3 is weight_scale times standard normal draws
        from np.random.default_rng(seed) (one generator for all three,
        drawn in any order); every bias b1, b2, b3 is zeros. The global
        np.random state is neither used nor changed. All are float64.
        """
        C, H, W = input_dim
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.params = {
            "W1": weight_scale * rng.standard_normal((num_filters, C, filter_size, filter_size)),
            "b1": np.zeros(num_filters),
            "W2": weight_scale * rng.standard_normal((num_filters * (H // 2) * (W // 2), hidden_dim)),
            "b2": np.zeros(hidden_dim),
            "W3": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b3": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        """Scores of a minibatch, or its loss and the gradients of the loss.

        Inputs:
        - X: Input images, of shape (N, C, H, W)
        - y: Labels, of shape (N,), integers in [0, num_classes); or None

        Returns:
        - if y is None: scores, of shape (N, num_classes), the input of the
          softmax;
        - else a tuple of:
          - loss: a float, the softmax cross-entropy averaged over the
            batch plus 0.5 * reg * (sum(W1**2) + sum(W2**2) + sum(W3**2))
            (the biases are not regularised);
          - grads: a dict with the keys of self.params, grads[k] the
            gradient of loss with respect to self.params[k], of its shape.

        Do not modify X or y.
        """
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        pad = (W1.shape[2] - 1) // 2  # keeps H x W for an odd filter size

        conv, conv_cache = conv2d_forward(X, W1, b1, stride=1, pad=pad)
        conv_relu, conv_relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool_forward(conv_relu, pool_height=2, pool_width=2, stride=2)
        hidden, hidden_cache = linear_forward(pooled, W2, b2)
        hidden_relu, hidden_relu_cache = relu_forward(hidden)
        scores, scores_cache = linear_forward(hidden_relu, W3, b3)
        if y is None:
            return scores

        data_loss, dscores = softmax_cross_entropy(scores, y)
        # L2 on the weights only: 0.5*reg*sum(W**2), whose gradient is reg*W.
        loss = data_loss + 0.5 * self.reg * sum(np.sum(W * W) for W in (W1, W2, W3))

        grads = {}
        dhidden_relu, grads["W3"], grads["b3"] = linear_backward(dscores, scores_cache)
        dhidden = relu_backward(dhidden_relu, hidden_relu_cache)
        dpooled, grads["W2"], grads["b2"] = linear_backward(dhidden, hidden_cache)
        dconv_relu = maxpool_backward(dpooled, pool_cache)
        dconv = relu_backward(dconv_relu, conv_relu_cache)
        _, grads["W1"], grads["b1"] = conv2d_backward(dconv, conv_cache)
        for name in ("W1", "W2", "W3"):
            grads[name] = grads[name] + self.reg * self.params[name]
        return float(loss), grads
