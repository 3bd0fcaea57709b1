"""Reference solution for the cross_entropy kata: cross-entropy with label smoothing and ignored positions."""

import numpy as np


def cross_entropy(logits, targets, label_smoothing=0.0, ignore_index=-100):
    """Cross-entropy loss over positions, with label smoothing and ignored
    positions, and its gradient (PyTorch's F.cross_entropy with
    reduction="mean").

    logits has C classes on its LAST axis and any number of leading axes
    (N, C) or (N, T, C); every leading index is one position, and
    targets[pos] is that position's class. A position whose target equals
    ignore_index is ignored; every other position is kept. With
    eps = label_smoothing, a kept position's target distribution is

        q = (1 - eps) * onehot(target) + eps / C    (eps / C on EVERY class,
                                                     the target included)

    and it costs -sum over c of q[c] * log_softmax(logits[pos])[c]. The loss
    is the MEAN over the kept positions only (an ignored position counts
    neither in the sum nor in the count):

        loss = sum over kept positions of the cost / number of kept positions

    With eps = 0 the cost is -log_softmax(logits[pos])[target]. dlogits is
    the gradient of that mean: (softmax(logits[pos]) - q) / (number kept)
    at a kept position, exactly 0 at an ignored one. Every position
    ignored: loss = 0.0 and dlogits all 0 (PyTorch gives NaN there; 0/0 is
    not an answer), with no warning.

    Make it exact and stable: compute log-softmax with the log-sum-exp
    trick, log_softmax(z)[c] = (z[c] - m) - log(sum over k of exp(z[k] - m))
    with m = max(z), never as the log of a probability that may underflow
    to 0. Logits as large as +-1e4 must give finite results and no
    warnings, and a target class 1e4 below another costs about 1e4. No
    log(p + eps) fudge: it is not exact, and it caps that cost at -log(eps).

    Raises ValueError when label_smoothing is outside [0, 1], or when a
    target is outside [0, C) and is not ignore_index (numpy's negative
    indexing would silently take a class from the end). ignore_index may
    be any integer, a class index in [0, C) included (a padding id of 0).
    Do not modify logits or targets.

    Inputs:
    - logits: Scores, of shape (..., C): (N, C) or (N, T, C)
    - targets: Integer classes, of shape logits.shape[:-1], each in [0, C)
      or equal to ignore_index
    - label_smoothing: eps, a float in [0, 1]
    - ignore_index: the target value of positions to ignore

    Returns a tuple of:
    - loss: The loss, a float
    - dlogits: Gradient of the loss with respect to logits, of the shape
      of logits

    What is graded: that loss is a real scalar (a float, or a 0-d array)
    and the shape of dlogits; loss and dlogits against the reference, and
    dlogits against central-difference numerical gradients of the loss on
    float64 inputs (two arrays agree when their shapes are equal and
    max|a - b| <= 1e-6 * max(max|a|, max|b|), or max|a - b| <= 1e-10 * s,
    with s the largest magnitude among the check's inputs (dout included),
    at least 1: an exact 0 that your formula computes as rounding noise
    agrees with 0), on logits (N, C) without and with label smoothing
    (0.1) and ignored positions; that logits and targets are not modified;
    that the same inputs give the same outputs. Edge cases: 3-D logits
    (N, T, C); label_smoothing 0.3 and 1; ignore_index -100 with positions
    ignored; a custom ignore_index (-1, and 0 as a padding id); every
    position ignored (loss 0, dlogits 0, no warnings); logits of +-1e4
    (finite, no warnings, a gap of 1e4 costs about 1e4); C = 1 (loss 0,
    dlogits 0); N = 1; a target outside [0, C) raises ValueError;
    label_smoothing outside [0, 1] raises ValueError. There is no backward
    and no cache: cross_entropy returns its gradient itself, and is called
    twice on the same inputs (the deterministic row), so each call must
    return a fresh dlogits. Speed is shown beside the score but never
    counted in it.
    """
    eps = float(label_smoothing)
    if not 0.0 <= eps <= 1.0:  # also refuses NaN
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing}")
    targets = np.asarray(targets)
    C = logits.shape[-1]
    kept = targets != ignore_index
    # Validate before indexing: a target of -1 would otherwise pick class C-1 without a word.
    if np.any(kept & ((targets < 0) | (targets >= C))):
        raise ValueError(f"targets must be in [0, {C}) or equal ignore_index={ignore_index}")

    # log-softmax by log-sum-exp: finite and exact at +-1e4, where log(softmax) would be log(0).
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))

    # The target distribution q: eps/C on every class plus 1 - eps on the target, a zero row where
    # ignored (an ignored position then adds nothing to the loss and gets no gradient).
    q = np.full(logits.shape, eps / C)
    np.put_along_axis(q, np.where(kept, targets, 0)[..., None], 1 - eps + eps / C, axis=-1)
    q *= kept[..., None]

    # The mean over kept positions; max(., 1) turns "nothing kept" into 0/1 = 0 instead of 0/0 = NaN.
    count = max(int(kept.sum()), 1)
    loss = -(q * log_probs).sum() / count
    # Each kept row of q sums to 1, so d cost / d logits = softmax - q at a kept position.
    dlogits = (np.exp(log_probs) * kept[..., None] - q) / count
    return float(loss), dlogits
