"""Kata lora: low-rank adaptation (LoRA) of a frozen linear layer, forward and backward.

Implement the functions below in numpy; each docstring is the whole
specification. Then grade your work with

    python -m grader lora

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/lora.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def lora_forward(x, w, b, lora_a, lora_b, alpha):
    """LoRA (low-rank adaptation) of a frozen linear layer, forward pass.

    A pretrained linear layer (w, b) is frozen; what is trained is a
    low-rank update, the product of lora_a (D_in, r) and lora_b (r, D_out),
    scaled by alpha / r (Hu et al., 2021; Hugging Face PEFT's `scaling`):

        out = x @ w + b + (alpha / r) * (x @ lora_a) @ lora_b

    with r = lora_a.shape[1], the rank. The scale is alpha divided by r,
    not alpha itself, nor 1. Computing x @ lora_a first keeps the work
    small, (N, r); the (D_in, D_out) product lora_a @ lora_b costs as much
    as w (both orders are graded alike). With lora_b = 0 (the usual start
    of training) out is the base layer's, x @ w + b. Do not modify any
    argument.

    Inputs:
    - x: Input data, of shape (N, D_in)
    - w: Frozen weights, of shape (D_in, D_out)
    - b: Frozen biases, of shape (D_out,)
    - lora_a: Trainable down-projection, of shape (D_in, r)
    - lora_b: Trainable up-projection, of shape (r, D_out)
    - alpha: Python float, the LoRA scale's numerator (alpha != r in
      general; alpha = r gives a scale of 1)

    Returns a tuple of:
    - out: Output data, of shape (N, D_out)
    - cache: Whatever lora_backward needs; the grader only hands it back
      to lora_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (dout included), at least 1: an exact
    0 that your formula computes as rounding noise agrees with 0) on two
    configurations with alpha != r (alpha / r = 4 and 0.5); that no
    argument is modified; that the same inputs give the same outputs. Edge
    cases: lora_b = 0 (out equals x @ w + b), rank r = 1, and N = 1. All
    inputs are float64. Speed is shown beside the score but never counted
    in it.
    """
    raise NotImplementedError("lora_forward: not started")


def lora_backward(dout, cache):
    """LoRA (low-rank adaptation) of a frozen linear layer, backward pass.

    With scale = alpha / r and h = x @ lora_a, (N, r), as in the forward
    pass, the upstream gradient flows back through both paths to x, and
    through the low-rank path only to lora_a and lora_b:

        dh      = scale * dout @ lora_b.T       (N, r)
        dx      = dout @ w.T + dh @ lora_a.T    (x feeds both the frozen
                                                 and the low-rank path)
        dlora_a = x.T @ dh                      (D_in, r)
        dlora_b = scale * h.T @ dout            (r, D_out)

    w and b are frozen: no gradient is returned for them. With lora_b = 0,
    dlora_a is exactly 0 (it flows through lora_b) while dlora_b is not,
    and dx is dout @ w.T: that is why LoRA starts with lora_b = 0 and a
    random lora_a, not the other way round.

    Inputs:
    - dout: Upstream derivatives, of shape (N, D_out)
    - cache: Whatever lora_forward returned

    Returns a tuple of, in this order:
    - dx: Gradient with respect to x, of shape (N, D_in)
    - dlora_a: Gradient with respect to lora_a, of shape (D_in, r)
    - dlora_b: Gradient with respect to lora_b, of shape (r, D_out)

    What is graded: the shapes of dx, dlora_a and dlora_b; each against the
    reference and against central-difference numerical gradients of
    lora_forward on float64 inputs (two arrays agree when their shapes are
    equal and max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b|
    <= 1e-10 * s, with s the largest magnitude among the check's inputs
    (dout included), at least 1: an exact 0 that your formula computes as
    rounding noise agrees with 0), on two configurations with alpha != r;
    that dout is not modified; that the same inputs give the same outputs,
    backward included: it is called twice with one cache and must give the
    same gradients both times, so it returns fresh arrays and does not
    change its cache in place. Edge cases: lora_b = 0 (dlora_a exactly 0,
    dlora_b not), rank r = 1, and N = 1. Speed is shown beside the score
    but never counted in it.
    """
    raise NotImplementedError("lora_backward: not started")
