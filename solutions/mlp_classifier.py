"""Reference solution for the mlp_classifier kata: a two-layer classifier and the Trainer that fits it.

The model is the layer katas in a row (linear, relu, linear, softmax
cross-entropy) and their backward passes in the opposite order, plus the
L2 term. The Trainer is CS231n's Solver in small: epochs of minibatches from
the DataLoader kata, one update-rule config per parameter (each keeps its
own state, a velocity of that parameter's shape), the accuracies measured at
the end of every epoch, and a COPY of the parameters of the best epoch so
far, put back into the model at the end.
"""

import numpy as np

from .activations import relu_backward, relu_forward
from .dataloader import DataLoader
from .linear import linear_backward, linear_forward
from .optimizers import adam, rmsprop, sgd, sgd_momentum
from .softmax_ce import softmax_cross_entropy

#: The update rules a Trainer may be given by name: those of the optimizers kata.
UPDATE_RULES = {"sgd": sgd, "sgd_momentum": sgd_momentum, "rmsprop": rmsprop, "adam": adam}


class TwoLayerClassifier:
    """A two-layer fully connected classifier:

        linear - relu - linear - softmax cross-entropy

    built from your own katas: linear_forward/backward (linear),
    relu_forward/backward (activations) and softmax_cross_entropy
    (softmax_ce). Weights multiply on the right, as in the linear kata:
    W1 is (input_dim, hidden_dim), PyTorch's nn.Linear weight transposed.

    The layers, for a minibatch X of shape (N, input_dim):
    - linear to hidden_dim units, then relu: (N, hidden_dim).
    - linear to num_classes scores: (N, num_classes).
    - softmax cross-entropy of the scores against the labels y, averaged
      over the batch.

    Attributes:
    - params: a dict of float64 arrays, these keys and shapes:
        W1 (input_dim, hidden_dim), b1 (hidden_dim,)
        W2 (hidden_dim, num_classes), b2 (num_classes,)
      loss() reads the weights from self.params at every call: the grader
      and the Trainer set entries of it (model.params["W1"] = new_W1).
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
    - the gradient of every parameter (W1, b1, W2, b2), with reg = 0.1, on
      a small net (input_dim 4, 5 hidden units, 3 classes, N = 6): against
      the reference's, and against central-difference numerical gradients
      of your own loss, every element;
    - X and y not modified; the same seed giving the same weights, and
      another seed other weights.
    The Trainer's rows are in its own docstring.
    """

    def __init__(self, input_dim=3 * 32 * 32, hidden_dim=100, num_classes=10, weight_scale=1e-3, reg=0.0,
                 seed=None):
        """Draw the initial weights; set self.params and self.reg.

        Inputs:
        - input_dim: Number of features of one input
        - hidden_dim: Number of relu units of the hidden layer
        - num_classes: Number of scores to produce
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
            "W2": weight_scale * rng.standard_normal((hidden_dim, num_classes)),
            "b2": np.zeros(num_classes),
        }

    def loss(self, X, y=None):
        """Scores of a minibatch, or its loss and the gradients of the loss.

        Inputs:
        - X: Inputs, of shape (N, input_dim)
        - y: Labels, of shape (N,), integers in [0, num_classes); or None

        Returns:
        - if y is None: scores, of shape (N, num_classes), the input of the
          softmax;
        - else a tuple of:
          - loss: a float, the softmax cross-entropy averaged over the
            batch plus 0.5 * reg * (sum(W1**2) + sum(W2**2)) (the biases
            are not regularised);
          - grads: a dict with the keys of self.params, grads[k] the
            gradient of loss with respect to self.params[k], of its shape.

        Do not modify X or y.
        """
        W1, b1, W2, b2 = (self.params[name] for name in ("W1", "b1", "W2", "b2"))
        hidden, hidden_cache = linear_forward(X, W1, b1)
        activations, relu_cache = relu_forward(hidden)
        scores, scores_cache = linear_forward(activations, W2, b2)
        if y is None:
            return scores

        data_loss, dscores = softmax_cross_entropy(scores, y)
        # L2 on the weights only: 0.5*reg*sum(W**2), whose gradient is reg*W.
        loss = data_loss + 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))

        grads = {}
        dactivations, grads["W2"], grads["b2"] = linear_backward(dscores, scores_cache)
        dhidden = relu_backward(dactivations, relu_cache)
        _, grads["W1"], grads["b1"] = linear_backward(dhidden, hidden_cache)
        grads["W1"] = grads["W1"] + self.reg * W1
        grads["W2"] = grads["W2"] + self.reg * W2
        return float(loss), grads


class Trainer:
    """Trains a classifier with minibatches, as CS231n's Solver does.

        trainer = Trainer(model, data, update_rule="sgd_momentum",
                          optim_config={"learning_rate": 1e-2}, lr_decay=0.95,
                          batch_size=100, num_epochs=10, rng=rng)
        trainer.train()   # model.params now hold the best epoch's params

    The model is any object with a dict `params` of float64 arrays and
    `loss(X, y=None)` as TwoLayerClassifier's. data is a dict of arrays:
    "X_train" (N_train, ...), "y_train" (N_train,), "X_val" (N_val, ...),
    "y_val" (N_val,).

    train() runs num_epochs epochs. Each epoch:
    - iterates a DataLoader (your dataloader kata) over X_train, y_train
      with batch_size, shuffle=True, drop_last=False and the Trainer's rng
      (one loader for the whole run, so each epoch reshuffles from rng;
      rng=None: a fresh np.random.default_rng());
    - for each minibatch: loss, grads = model.loss(X_batch, y_batch),
      loss appended to loss_history (as a float), then every parameter
      updated by the update rule: model.params[k], configs[k] =
      rule(model.params[k], grads[k], configs[k]), each parameter with a
      config of its own (optim_configs[k], a copy of optim_config: an
      update rule keeps per-parameter state such as a velocity in it);
    - at its end, every config's learning_rate is multiplied by lr_decay
      (after the rule has filled in its defaults), then the accuracies are
      measured: check_accuracy on the whole training split, appended to
      train_acc_history, and on the validation split, appended to
      val_acc_history (CS231n's Solver also measures before the first
      step and on a subsample of 1000 training samples: here the whole
      training split, at the end of each epoch only);
    - when the validation accuracy is higher than every earlier epoch's
      (strictly: ties keep the earlier epoch; the first epoch always
      counts), best_val_acc becomes it and best_params a COPY of
      model.params (new arrays, not the model's own, which the next steps
      replace).
    At the end, model.params is set to (a copy of) best_params.

    Attributes after train():
    - loss_history: list of floats, one per minibatch step:
      num_epochs * len(loader) entries
    - train_acc_history, val_acc_history: lists of floats, one per epoch
    - best_val_acc: a float; best_params: a dict like model.params
    - optim_configs: dict, parameter name -> its own config

    Inputs:
    - model: the model to train (its params are updated in place)
    - data: dict with X_train, y_train, X_val, y_val
    - update_rule: the name of an update rule of your optimizers kata:
      "sgd", "sgd_momentum" (the default), "rmsprop" or "adam"
    - optim_config: dict of the rule's hyperparameters, copied for each
      parameter; None means {} (the rule's defaults: for sgd_momentum,
      learning_rate 1e-2 and momentum 0.9)
    - lr_decay: factor on the learning rate after each epoch
    - batch_size: minibatch size
    - num_epochs: number of epochs
    - rng: a numpy.random.Generator for the DataLoader's shuffles, or None

    Raises ValueError: an update_rule that is not one of those four names.

    What is graded (with your TwoLayerClassifier, dataloader and
    optimizers): a run with learning_rate 0 (the params never move; 50
    training samples, batch_size 8, 3 epochs, update_rule "sgd"): the
    histories' lengths (21 losses, 3 accuracies each); that every minibatch
    of every epoch is used once (per epoch, the batch losses weighted by the
    batch sizes sum to the loss summed over all 50 samples); that the epochs
    are shuffled afresh (the 3 epochs' batch losses are not the same
    sequence); the accuracies, measured on the right split. Full-batch runs
    (batch_size larger than N_train, so that the shuffle does not change the
    steps), once with the default update rule, learning_rate 0.3, lr_decay
    0.9 and reg 0.01, once with "sgd" and lr_decay 0.5: loss_history,
    train_acc_history and val_acc_history against the reference's run from
    the same params, and after each, model.params and best_val_acc against
    those of the reference's best epoch (the first run's is not its last;
    the second's validation accuracy is the same every epoch, so a tie keeps
    its first epoch). Values agree by the model's agreement rule (1e-6
    relative, 1e-10 * s absolute; the accuracies then come out equal).
    Training: a TwoLayerClassifier (input_dim 2, 32 hidden units, 3 classes,
    weight_scale 0.1) trained by your Trainer with its default update rule,
    optim_config {"learning_rate": 0.1}, batch_size 10 and 10 epochs on
    three separated clusters (150 training and 60 validation points) must
    classify at least 95% of the validation points right, as the grader
    counts from your scores; ValueError for an unknown update_rule.
    """

    def __init__(self, model, data, update_rule="sgd_momentum", optim_config=None, lr_decay=1.0,
                 batch_size=100, num_epochs=10, rng=None):
        """Keep the model, the data and the options; check update_rule.

        Raises ValueError when update_rule is not "sgd", "sgd_momentum",
        "rmsprop" or "adam".
        """
        if update_rule not in UPDATE_RULES:
            raise ValueError(f"unknown update_rule {update_rule!r}: one of {', '.join(UPDATE_RULES)}")
        self.model, self.data = model, data
        self.update_rule = UPDATE_RULES[update_rule]
        self.optim_config = dict(optim_config or {})
        self.lr_decay, self.batch_size, self.num_epochs = lr_decay, batch_size, num_epochs
        self.rng = np.random.default_rng() if rng is None else rng

    def check_accuracy(self, X, y):
        """The fraction of the samples of X whose highest score is their
        label y, a float: mean(argmax(model.loss(X), axis=1) == y)."""
        return float(np.mean(np.argmax(self.model.loss(X), axis=1) == y))

    def train(self):
        """Run num_epochs epochs as the class docstring says; at the end,
        model.params holds the best epoch's params."""
        model, data = self.model, self.data
        loader = DataLoader(data["X_train"], data["y_train"], self.batch_size, shuffle=True, rng=self.rng)
        # One config per parameter: sgd_momentum's velocity has the shape of its own parameter.
        self.optim_configs = {name: dict(self.optim_config) for name in model.params}
        self.loss_history, self.train_acc_history, self.val_acc_history = [], [], []
        self.best_val_acc, self.best_params = -1.0, {}
        for _ in range(self.num_epochs):
            for X_batch, y_batch in loader:
                loss, grads = model.loss(X_batch, y_batch)
                self.loss_history.append(float(loss))
                for name in model.params:
                    model.params[name], self.optim_configs[name] = self.update_rule(
                        model.params[name], grads[name], self.optim_configs[name])
            for config in self.optim_configs.values():
                config["learning_rate"] *= self.lr_decay
            self.train_acc_history.append(self.check_accuracy(data["X_train"], data["y_train"]))
            self.val_acc_history.append(self.check_accuracy(data["X_val"], data["y_val"]))
            if self.val_acc_history[-1] > self.best_val_acc:
                self.best_val_acc = self.val_acc_history[-1]
                # A copy: the model's arrays are replaced by the next steps, a reference would follow them.
                self.best_params = {name: value.copy() for name, value in model.params.items()}
        model.params = {name: value.copy() for name, value in self.best_params.items()}
