# expect-group-fail: value
# diagnosis: summed over the batch
"""Sums the per-pair losses, because "the loss of the batch" sounds like a total, but F.cross_entropy (and CLIP) take the mean over the N rows."""
import numpy as np


def info_nce(image_emb, text_emb, temperature=0.07):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    if image_emb.ndim != 2 or image_emb.shape != text_emb.shape:
        raise ValueError("shapes differ")
    N = len(image_emb)
    ni = np.linalg.norm(image_emb, axis=1, keepdims=True)
    nt = np.linalg.norm(text_emb, axis=1, keepdims=True)
    img, txt = image_emb / ni, text_emb / nt
    S = img @ txt.T / temperature
    lr = S - np.logaddexp.reduce(S, axis=1, keepdims=True)
    lc = S - np.logaddexp.reduce(S, axis=0, keepdims=True)
    loss = -(np.trace(lr) + np.trace(lc)) / 2
    d = (np.exp(lr) + np.exp(lc) - 2 * np.eye(N)) / 2 / temperature
    gi, gt = d @ txt, d.T @ img
    return loss, (gi - img * (gi * img).sum(1, keepdims=True)) / ni, (gt - txt * (gt * txt).sum(1, keepdims=True)) / nt
