# expect-fail: scores values; gradient W1; gradient b1; gradient W2; gradient b2
# diagnosis: no relu after the hidden layer
"""linear - linear with no relu between, because the conv layer already has its relu and the classifier head looked like one big linear layer."""
"""conv - pool with no relu between, because max pooling is already nonlinear."""
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
        self.params = {
            "W1": weight_scale * rng.standard_normal((num_filters, C, filter_size, filter_size)),
            "b1": np.zeros(num_filters),
            "W2": weight_scale * rng.standard_normal((num_filters * (H // 2) * (W // 2), hidden_dim)),
            "b2": np.zeros(hidden_dim),
            "W3": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b3": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        W3, b3 = self.params["W3"], self.params["b3"]
        pad = (W1.shape[2] - 1) // 2

        conv, conv_cache = conv2d_forward(X, W1, b1, stride=1, pad=pad)
        conv_relu, conv_relu_cache = relu_forward(conv)
        pooled, pool_cache = maxpool_forward(conv_relu, 2, 2, 2)
        hidden, hidden_cache = linear_forward(pooled, W2, b2)
        hidden_relu = hidden
        scores, scores_cache = linear_forward(hidden_relu, W3, b3)
        if y is None:
            return scores

        data_loss, dscores = softmax_cross_entropy(scores, y)
        loss = data_loss + 0.5 * self.reg * (np.sum(W1**2) + np.sum(W2**2) + np.sum(W3**2))

        grads = {}
        dhidden_relu, grads["W3"], grads["b3"] = linear_backward(dscores, scores_cache)
        dhidden = dhidden_relu
        dpooled, grads["W2"], grads["b2"] = linear_backward(dhidden, hidden_cache)
        dconv_relu = maxpool_backward(dpooled, pool_cache)
        dconv = relu_backward(dconv_relu, conv_relu_cache)
        _, grads["W1"], grads["b1"] = conv2d_backward(dconv, conv_cache)
        for name in ("W1", "W2", "W3"):
            grads[name] += self.reg * self.params[name]
        return loss, grads
