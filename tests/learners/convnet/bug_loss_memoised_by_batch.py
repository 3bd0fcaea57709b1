# expect-fail: gradient W1; gradient b1; gradient W2; gradient b2; gradient W3; gradient b3
"""loss(X, y) remembers its (loss, grads) per minibatch, keyed by X.tobytes(), "to skip recomputing
the same minibatch" when an epoch comes back to it; but the answer depends on the parameters too,
and they change after every step, so the same X after an update gets the loss and grads of the old
weights."""
import numpy as np

from solutions.activations import relu_backward, relu_forward
from solutions.conv2d import conv2d_backward, conv2d_forward
from solutions.linear import linear_backward, linear_forward
from solutions.maxpool import maxpool_backward, maxpool_forward
from solutions.softmax_ce import softmax_cross_entropy


class ThreeLayerConvNet:
    def __init__(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
                 num_classes=10, weight_scale=1e-3, reg=0.0, seed=None):
        C, H, W = input_dim
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.conv_pad = (filter_size - 1) // 2
        self.params = {
            "W1": weight_scale * rng.standard_normal((num_filters, C, filter_size, filter_size)),
            "b1": np.zeros(num_filters),
            "W2": weight_scale * rng.standard_normal((num_filters * (H // 2) * (W // 2), hidden_dim)),
            "b2": np.zeros(hidden_dim),
            "W3": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b3": np.zeros(num_classes),
        }
        self._seen_batches = {}  # X.tobytes() -> (loss, grads)

    def loss(self, X, y=None):
        if y is not None:
            key = X.tobytes()
            if key in self._seen_batches:
                return self._seen_batches[key]

        p = self.params
        a1, cache_conv = conv2d_forward(X, p["W1"], p["b1"], stride=1, pad=self.conv_pad)
        r1, cache_r1 = relu_forward(a1)
        h1, cache_pool = maxpool_forward(r1, 2, 2, 2)
        a2, cache_fc1 = linear_forward(h1, p["W2"], p["b2"])
        h2, cache_r2 = relu_forward(a2)
        scores, cache_fc2 = linear_forward(h2, p["W3"], p["b3"])
        if y is None:
            return scores

        data_loss, dscores = softmax_cross_entropy(scores, y)
        l2 = np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2) + np.sum(p["W3"] ** 2)
        loss = data_loss + 0.5 * self.reg * l2

        grads = {}
        dh2, grads["W3"], grads["b3"] = linear_backward(dscores, cache_fc2)
        da2 = relu_backward(dh2, cache_r2)
        dh1, grads["W2"], grads["b2"] = linear_backward(da2, cache_fc1)
        dr1 = maxpool_backward(dh1, cache_pool)
        da1 = relu_backward(dr1, cache_r1)
        _, grads["W1"], grads["b1"] = conv2d_backward(da1, cache_conv)
        for w in ("W1", "W2", "W3"):
            grads[w] += self.reg * p[w]

        self._seen_batches[key] = (loss, grads)
        return loss, grads
