# expect-fail: scores values; fits 50 images with your adam
# diagnosis: weights copied out of params at init
"""The weights unpacked into attributes once, in __init__ (self.W1 = self.params["W1"]), because
attribute access reads better; but the optimizer puts new arrays into params, which loss never sees."""
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
        self.pad = (filter_size - 1) // 2
        self.params = {
            "W1": weight_scale * rng.standard_normal((num_filters, C, filter_size, filter_size)),
            "b1": np.zeros(num_filters),
            "W2": weight_scale * rng.standard_normal((num_filters * (H // 2) * (W // 2), hidden_dim)),
            "b2": np.zeros(hidden_dim),
            "W3": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b3": np.zeros(num_classes),
        }
        for name, value in self.params.items():
            setattr(self, name, value)

    def loss(self, X, y=None):
        conv, conv_cache = conv2d_forward(X, self.W1, self.b1, stride=1, pad=self.pad)
        conv_relu, conv_relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool_forward(conv_relu, 2, 2, 2)
        hidden, hidden_cache = linear_forward(pooled, self.W2, self.b2)
        hidden_relu, hidden_relu_cache = relu_forward(hidden)
        scores, scores_cache = linear_forward(hidden_relu, self.W3, self.b3)
        if y is None:
            return scores

        data_loss, dscores = softmax_cross_entropy(scores, y)
        loss = data_loss + 0.5 * self.reg * sum(np.sum(W**2) for W in (self.W1, self.W2, self.W3))

        grads = {}
        dhidden_relu, grads["W3"], grads["b3"] = linear_backward(dscores, scores_cache)
        dhidden = relu_backward(dhidden_relu, hidden_relu_cache)
        dpooled, grads["W2"], grads["b2"] = linear_backward(dhidden, hidden_cache)
        dconv = relu_backward(maxpool_backward(dpooled, pool_cache), conv_relu_cache)
        _, grads["W1"], grads["b1"] = conv2d_backward(dconv, conv_cache)
        for name in ("W1", "W2", "W3"):
            grads[name] = grads[name] + self.reg * getattr(self, name)
        return loss, grads
