# expect-fail: temperature 1e-3: exact, no warnings
"""Exponentiates the logits directly, fine at CLIP's 0.07 (logits at most 14), but a temperature of 1e-3 makes them 1000 and exp overflows."""
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
    e = np.exp(img @ txt.T / temperature)
    p_rows = e / e.sum(axis=1, keepdims=True)
    p_cols = e / e.sum(axis=0, keepdims=True)
    loss = -(np.log(np.diag(p_rows)).mean() + np.log(np.diag(p_cols)).mean()) / 2
    d = (p_rows + p_cols - 2 * np.eye(N)) / (2 * N) / temperature
    gi, gt = d @ txt, d.T @ img
    return loss, (gi - img * (gi * img).sum(1, keepdims=True)) / ni, (gt - txt * (gt * txt).sum(1, keepdims=True)) / nt
