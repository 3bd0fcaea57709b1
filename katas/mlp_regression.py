"""Kata mlp_regression (a capstone): a one-hidden-layer MLP from your own katas, fitting a sine.

Implement MLPRegressor below with the functions of your other katas,
imported here from katas/; the class docstring is the full spec. Then
grade your work from the repository root with

    python -m grader mlp_regression

The katas it builds on (linear, activations, mse_loss, and optimizers,
whose sgd the grader trains your network with) are graded first: until
they all pass, the scorecard names the ones to solve first. It then checks
shapes, the initial weights, predictions and loss against the reference,
every gradient against numerical gradients of your own loss, and that
training fits y = 20 sin(2 pi x) (a progress bar shows the error while it
trains). `python -m grader mlp_regression --file PATH` grades another
file. The worked answer is in solutions/mlp_regression.py: try the kata
first.
"""

import numpy as np  # noqa: F401  (you will need it)

from katas.activations import sigmoid_backward, sigmoid_forward  # noqa: F401
from katas.linear import linear_backward, linear_forward  # noqa: F401
from katas.mse_loss import mse_loss  # noqa: F401
from katas.optimizers import sgd  # noqa: F401  (not for you to call: the grader trains your net with it)


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
        raise NotImplementedError("MLPRegressor.__init__: not started")

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
        raise NotImplementedError("MLPRegressor.loss: not started")
