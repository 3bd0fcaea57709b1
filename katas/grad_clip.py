"""Kata grad_clip: gradient clipping by the global norm over a dict of arrays.

Implement the function below in numpy; its docstring is the whole
specification. Then grade your work with

    python -m grader grad_clip

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/grad_clip.py: try the kata first.
"""

import numpy as np  # noqa: F401  (you will need it)


def clip_grad_norm(grads, max_norm):
    """Clip gradients by their global L2 norm (PyTorch's clip_grad_norm_, without the in place).

    grads maps each parameter's name to its gradient, a float64 array of
    any shape. The total norm is ONE L2 norm over every element of every
    array together, as if they were concatenated into one vector:

        total_norm = sqrt(sum over names k of sum(grads[k]**2))

    computed before any clipping. When total_norm > max_norm, every array
    is scaled by the same factor max_norm / total_norm, so that the
    clipped gradients have total norm max_norm and keep their direction;
    otherwise (total_norm <= max_norm) they are returned unchanged in
    value: clipping never scales up. PyTorch divides by total_norm + 1e-6;
    either is accepted, as the grader's norms make the two agree to 1e-6.

    Nothing is modified in place: neither the grads dict (no key added,
    removed or reassigned) nor its arrays. Return a NEW dict with the same
    keys (never grads itself), whose arrays have the shapes of grads'
    (an array unchanged in value may be the caller's own or a copy).
    torch's clip_grad_norm_ scales the .grad tensors in place: this one
    does not.

    Inputs:
    - grads: A dict {name: array}; it may be empty
    - max_norm: The largest total norm allowed, a float > 0

    Returns a tuple of:
    - clipped: A new dict {name: array}, the same keys and shapes as grads
    - total_norm: The total norm of grads before clipping, a float; 0.0
      for an empty dict (which gives ({}, 0.0))

    Raises ValueError when max_norm <= 0.

    What is graded: that clip_grad_norm returns a tuple of a dict with the
    keys of grads, each an array of that key's shape, and a real scalar;
    total_norm and every clipped array against the reference, on dicts of
    arrays of 1, 2 and 4 dimensions whose norm is above max_norm (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the call's inputs (grads' arrays), at least 1: an
    exact 0 that your formula computes as rounding noise agrees with 0);
    that neither grads nor its arrays are modified and that a new dict is
    returned; that the same inputs give the same outputs. Edge cases: a
    total norm below max_norm (unchanged), one array, an empty dict (({},
    0.0)), and max_norm of 0 and -1 (ValueError). All inputs are float64.
    Speed is shown beside the score but never counted in it.
    """
    raise NotImplementedError("clip_grad_norm: not started")
