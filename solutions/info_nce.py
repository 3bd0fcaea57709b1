"""Worked answer for the info_nce kata: CLIP's symmetric contrastive loss and its gradients."""

import numpy as np


def _log_softmax(z):
    """Log-softmax over axis 1 with the log-sum-exp trick: stable for logits in the thousands."""
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def info_nce(image_emb, text_emb, temperature=0.07):
    """CLIP's symmetric InfoNCE loss on a batch of N (image, text) pairs.

    Row i of image_emb and row i of text_emb are a matching pair; every
    other row of the batch is a negative. Each row is first L2-normalised
    (divided by its Euclidean norm), then

        logits = img_n @ txt_n.T / temperature       (N, N)
        loss = (CE(logits, arange(N)) + CE(logits.T, arange(N))) / 2

    where CE is the softmax cross-entropy over each row, averaged over the
    N rows (PyTorch's F.cross_entropy): the first term classifies each
    image's text among the N texts, the second each text's image among the
    N images. Divide by the temperature (a small temperature sharpens the
    softmax). This is the loss of CLIP's pseudocode with a fixed
    temperature (CLIP learns it as a logit scale 1/temperature; here it is
    a constant, without a gradient).

    dimage and dtext are the gradients of the loss with respect to the RAW
    embeddings, so they go back through the normalisation: for x_n = x /
    |x|, dx = (dx_n - x_n * sum(dx_n * x_n)) / |x|, row by row. Make it
    stable: a temperature of 1e-3 (logits up to 1000) gives finite values
    and no warnings. Every row must have a nonzero norm (a zero row has no
    direction; it is not graded). Do not modify the embeddings.

    Inputs:
    - image_emb: Image embeddings, of shape (N, D)
    - text_emb: Text embeddings, of shape (N, D)
    - temperature: A float > 0 (default 0.07, CLIP's initial value)

    Returns a tuple of:
    - loss: The loss, a float
    - dimage: Gradient of the loss with respect to image_emb, of shape
      (N, D)
    - dtext: Gradient of the loss with respect to text_emb, of shape (N, D)

    Raises ValueError when temperature <= 0, or when image_emb and text_emb
    are not 2-D arrays of the same shape.

    What is graded: that loss is a real scalar (a float, or a 0-d array) and
    the shapes of dimage and dtext; all three against the reference, and
    dimage and dtext against central-difference numerical gradients of the
    loss, for temperatures 0.07, 0.5 and 1 on float64 inputs (two arrays
    agree when their shapes are equal and max|a - b| <= 1e-6 * max(max|a|,
    max|b|), or max|a - b| <= 1e-10 * s, with s the largest magnitude among
    the check's inputs (dout included), at least 1: an exact 0 that your
    formula computes as rounding noise agrees with 0); that the embeddings
    are not modified; that the same inputs give the same outputs. Edge
    cases: rows of norms from 0.3 to 100 (the loss depends only on
    directions), N = 1 (loss 0, gradients 0), matching rows identical
    (x_n = y_n), a temperature of 1e-3 (finite, no warnings), and
    temperature 0, shapes (4, 3) and (5, 3), and 1-D embeddings
    (ValueError). Speed is shown beside the score but never counted in it.
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if image_emb.ndim != 2 or image_emb.shape != text_emb.shape:
        raise ValueError(f"embeddings must be 2-D of one shape, got {image_emb.shape} and {text_emb.shape}")
    n = image_emb.shape[0]
    img_norm = np.linalg.norm(image_emb, axis=1, keepdims=True)
    txt_norm = np.linalg.norm(text_emb, axis=1, keepdims=True)
    img, txt = image_emb / img_norm, text_emb / txt_norm
    logits = img @ txt.T / temperature
    # Row i of logits scores image i against every text; column j scores text j against every image.
    log_p_rows, log_p_cols = _log_softmax(logits), _log_softmax(logits.T)
    loss = -(np.trace(log_p_rows) + np.trace(log_p_cols)) / (2 * n)
    # Each cross-entropy's gradient is (softmax - I)/N; the column one comes back transposed.
    eye = np.eye(n)
    dlogits = ((np.exp(log_p_rows) - eye) + (np.exp(log_p_cols) - eye).T) / (2 * n)
    dsim = dlogits / temperature
    dimg, dtxt = dsim @ txt, dsim.T @ img
    # Back through x_n = x/|x|: remove the component along x_n (a length change does not move x_n), divide by |x|.
    dimage = (dimg - img * np.sum(dimg * img, axis=1, keepdims=True)) / img_norm
    dtext = (dtxt - txt * np.sum(dtxt * txt, axis=1, keepdims=True)) / txt_norm
    return float(loss), dimage, dtext
