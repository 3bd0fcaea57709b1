# expect: pass
"""The network as a list of (forward, backward, param names) stages walked forwards and then
backwards, caches on a stack; weights float64 via astype; the loss a 0-d numpy float."""
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
        shapes = {"W1": (num_filters, C, filter_size, filter_size),
                  "W2": (num_filters * (H // 2) * (W // 2), hidden_dim),
                  "W3": (hidden_dim, num_classes)}
        self.params = {}
        for i, (name, shape) in enumerate(shapes.items(), 1):
            self.params[name] = (rng.standard_normal(shape) * weight_scale).astype(np.float64)
            self.params[f"b{i}"] = np.zeros(shape[0] if i == 1 else shape[1])
        self.reg = reg
        self.pad = (filter_size - 1) // 2

    def _stages(self):
        pad = self.pad
        return [
            (lambda x, w, b: conv2d_forward(x, w, b, stride=1, pad=pad), conv2d_backward, ("W1", "b1")),
            (relu_forward, relu_backward, ()),
            (maxpool_forward, maxpool_backward, ()),
            (linear_forward, linear_backward, ("W2", "b2")),
            (relu_forward, relu_backward, ()),
            (linear_forward, linear_backward, ("W3", "b3")),
        ]

    def loss(self, X, y=None):
        stack, out = [], X
        for forward, backward, names in self._stages():
            out, cache = forward(out, *(self.params[n] for n in names))
            stack.append((backward, names, cache))
        if y is None:
            return out
        loss, dout = softmax_cross_entropy(out, y)
        grads = {}
        for backward, names, cache in reversed(stack):
            result = backward(dout, cache)
            if names:
                dout, *param_grads = result
                grads.update(zip(names, param_grads))
            else:
                dout = result
        weights = [n for n in self.params if n.startswith("W")]
        loss = np.float64(loss) + 0.5 * self.reg * sum((self.params[n] ** 2).sum() for n in weights)
        for n in weights:
            grads[n] = grads[n] + self.reg * self.params[n]
        return loss, grads
