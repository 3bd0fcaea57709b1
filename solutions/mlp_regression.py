"""Reference solution for the mlp_regression kata: a one-hidden-layer regressor from the layer katas.

Forward: linear, sigmoid, linear, and the mean squared error; backward: the
same layers in the opposite order, each handed its own cache. The output
layer stays linear, so that the predictions can take any value; the L2 term
0.5*reg*sum(W**2) adds reg*W to each weight's gradient and nothing to a
bias's.
"""

import numpy as np

from .activations import sigmoid_backward, sigmoid_forward
from .linear import linear_backward, linear_forward
from .mse_loss import mse_loss


class MLPRegressor:
    """A multilayer perceptron with one hidden layer of sigmoid units, for regression:

        linear - sigmoid - linear - mean squared error

    built from your own katas: linear_forward/backward (linear),
    sigmoid_forward/backward (activations) and mse_loss (mse_loss). The
    grader trains it with the sgd of your optimizers kata. The output
    layer is linear (no sigmoid): the targets are not confined to (0, 1).

    The layers, for a minibatch X of shape (N, input_dim):
    - linear to hidden_dim units, then sigmoid: (N, hidden_dim).
    - linear to output_dim predictions: (N, output_dim).
    - mean squared error of the predictions against the targets y, over
      all N * output_dim elements.

    Attributes:
    - params: a dict of float64 arrays, these keys and shapes:
        W1 (input_dim, hidden_dim), b1 (hidden_dim,)
        W2 (hidden_dim, output_dim), b2 (output_dim,)
      loss() reads the weights from self.params at every call: the grader
      sets entries of it (model.params["W1"] = new_W1) to train the network
      and to differentiate the loss numerically.
    - reg: the L2 regularisation strength.

    What is graded: all arrays are float64, and two arrays agree when their
    shapes are equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or
    max|a - b| <= 1e-10 * s, with s the largest magnitude among the check's
    inputs (dout included), at least 1: an exact 0 that your formula
    computes as rounding noise agrees with 0. Checked:
    - the shapes of params, of the predictions and of the grads;
    - the initial weights: for weight_scale 0.5, each W's entries have a
      standard deviation within 25% of weight_scale and mean about 0 (up
      to a quarter of weight_scale); every b is all zeros;
    - with params the grader sets: the predictions, and the loss with
      reg = 0.1, against the reference's;
    - the gradient of every parameter (W1, b1, W2, b2), with reg = 0.1,
      on a small net (input_dim 2, 4 hidden units, output_dim 3, N = 5):
      against the reference's, and against central-difference numerical
      gradients of your own loss, every element;
    - X and y not modified; the same seed giving the same weights, and
      another seed other weights;
    - training: 200 points x drawn uniformly from [0, 1) and the targets
      y = 20 sin(2 pi x), one period of a sine (grader.datasets.sine;
      predicting 0 everywhere gives a mean squared error of 200). A net
      with input_dim 1, 32 hidden units, output_dim 1, weight_scale 2.0
      and reg 0, trained with your sgd on minibatches of 8, learning_rate
      0.05 in the first epoch and 1% less in each epoch after it, must
      bring the mean squared error over the 200 points below 20 within
      150 epochs (it stops as soon as it is; typically after 15 to 20
      epochs), as the grader computes it from your predictions. The
      scorecard shows the error curve. The sgd is the one in
      optimizers.py beside the graded file (katas/optimizers.py for
      katas/mlp_regression.py); where there is none, the optimizers module
      of the package your layers are imported from.
    The time limit for all of it is 20 s (the reference takes under 1 s).
    """

    def __init__(self, input_dim=1, hidden_dim=32, output_dim=1, weight_scale=1.0, reg=0.0, seed=None):
        """Draw the initial weights; set self.params and self.reg.

        Inputs:
        - input_dim: Number of features of one input
        - hidden_dim: Number of sigmoid units of the hidden layer
        - output_dim: Number of predictions per input
        - weight_scale: Standard deviation of the initial weights
        - reg: L2 regularisation strength
        - seed: Seed of the generator the weights are drawn from

        Every weight W1, W2 is weight_scale times standard normal draws
        from np.random.default_rng(seed) (one generator for both, drawn in
        any order); every bias b1, b2 is zeros. The global np.random state
        is neither used nor changed. All are float64.
        """
        rng = np.random.default_rng(seed)
        self.reg = reg
        self.params = {
            "W1": weight_scale * rng.standard_normal((input_dim, hidden_dim)),
            "b1": np.zeros(hidden_dim),
            "W2": weight_scale * rng.standard_normal((hidden_dim, output_dim)),
            "b2": np.zeros(output_dim),
        }

    def loss(self, X, y=None):
        """Predictions for a minibatch, or its loss and the gradients of the loss.

        Inputs:
        - X: Inputs, of shape (N, input_dim)
        - y: Targets, of shape (N, output_dim); or None

        Returns:
        - if y is None: predictions, of shape (N, output_dim);
        - else a tuple of:
          - loss: a float, mse_loss(predictions, y) (the mean over all
            N * output_dim elements) plus
            0.5 * reg * (sum(W1**2) + sum(W2**2)) (the biases are not
            regularised);
          - grads: a dict with the keys of self.params, grads[k] the
            gradient of loss with respect to self.params[k], of its shape.

        Do not modify X or y.
        """
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        hidden, hidden_cache = linear_forward(X, W1, b1)
        activations, sigmoid_cache = sigmoid_forward(hidden)
        predictions, output_cache = linear_forward(activations, W2, b2)  # linear: any real value
        if y is None:
            return predictions

        data_loss, dpredictions = mse_loss(predictions, y)
        # L2 on the weights only: 0.5*reg*sum(W**2), whose gradient is reg*W.
        loss = data_loss + 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dactivations, grads["W2"], grads["b2"] = linear_backward(dpredictions, output_cache)
        dhidden = sigmoid_backward(dactivations, sigmoid_cache)
        _, grads["W1"], grads["b1"] = linear_backward(dhidden, hidden_cache)
        grads["W1"] = grads["W1"] + self.reg * W1
        grads["W2"] = grads["W2"] + self.reg * W2
        return float(loss), grads
