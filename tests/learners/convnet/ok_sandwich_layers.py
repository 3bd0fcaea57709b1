# expect: pass
"""CS231n style: conv-relu-pool and linear-relu "sandwich" helpers with their own caches,
weights drawn with rng.normal(0, weight_scale, shape) in reverse order, the L2 term from
np.linalg.norm, and the gradient dict built up by a loop."""
import numpy as np

from solutions.activations import relu_backward, relu_forward
from solutions.conv2d import conv2d_backward, conv2d_forward
from solutions.linear import linear_backward, linear_forward
from solutions.maxpool import maxpool_backward, maxpool_forward
from solutions.softmax_ce import softmax_cross_entropy


def conv_relu_pool_forward(x, w, b, pad):
    a, conv_cache = conv2d_forward(x, w, b, 1, pad)
    s, relu_cache = relu_forward(a)
    out, pool_cache = maxpool_forward(s, pool_height=2, pool_width=2, stride=2)
    return out, (conv_cache, relu_cache, pool_cache)


def conv_relu_pool_backward(dout, cache):
    conv_cache, relu_cache, pool_cache = cache
    ds = maxpool_backward(dout, pool_cache)
    da = relu_backward(ds, relu_cache)
    return conv2d_backward(da, conv_cache)


def linear_relu_forward(x, w, b):
    a, fc_cache = linear_forward(x, w, b)
    out, relu_cache = relu_forward(a)
    return out, (fc_cache, relu_cache)


def linear_relu_backward(dout, cache):
    fc_cache, relu_cache = cache
    return linear_backward(relu_backward(dout, relu_cache), fc_cache)


class ThreeLayerConvNet:
    def __init__(self, input_dim=(3, 32, 32), num_filters=32, filter_size=7, hidden_dim=100,
                 num_classes=10, weight_scale=1e-3, reg=0.0, seed=None):
        C, H, W = input_dim
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.params = {}
        self.params["W3"] = rng.normal(0.0, weight_scale, (hidden_dim, num_classes))
        self.params["W2"] = rng.normal(0.0, weight_scale, (num_filters * H * W // 4, hidden_dim))
        self.params["W1"] = rng.normal(0.0, weight_scale, (num_filters, C, filter_size, filter_size))
        for name, size in (("b1", num_filters), ("b2", hidden_dim), ("b3", num_classes)):
            self.params[name] = np.zeros(size)

    def loss(self, X, y=None):
        W1, W2, W3 = self.params["W1"], self.params["W2"], self.params["W3"]
        out1, cache1 = conv_relu_pool_forward(X, W1, self.params["b1"], pad=W1.shape[-1] // 2)
        out2, cache2 = linear_relu_forward(out1, W2, self.params["b2"])
        scores, cache3 = linear_forward(out2, W3, self.params["b3"])
        if y is None:
            return scores

        loss, dscores = softmax_cross_entropy(scores, y)
        for W in (W1, W2, W3):
            loss += 0.5 * self.reg * np.linalg.norm(W) ** 2

        grads = {}
        dout2, grads["W3"], grads["b3"] = linear_backward(dscores, cache3)
        dout1, grads["W2"], grads["b2"] = linear_relu_backward(dout2, cache2)
        _, grads["W1"], grads["b1"] = conv_relu_pool_backward(dout1, cache1)
        for name in ("W1", "W2", "W3"):
            grads[name] += self.reg * self.params[name]
        return loss, grads
