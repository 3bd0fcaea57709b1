# expect-group-fail: value
# diagnosis: temperature multiplied
"""Multiplies the similarities by the temperature, because CLIP's code multiplies by logit_scale (which is 1/temperature) and the two names blur; the contract divides by temperature."""
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
    logits = temperature * (img @ txt.T)
    rows = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True)) \
        - logits.max(1, keepdims=True)
    cols = logits - np.log(np.exp(logits - logits.max(0, keepdims=True)).sum(0, keepdims=True)) \
        - logits.max(0, keepdims=True)
    loss = -(np.trace(rows) + np.trace(cols)) / (2 * N)
    d = (np.exp(rows) + np.exp(cols) - 2 * np.eye(N)) / (2 * N) * temperature
    gi, gt = d @ txt, d.T @ img
    return loss, (gi - img * (gi * img).sum(1, keepdims=True)) / ni, (gt - txt * (gt * txt).sum(1, keepdims=True)) / nt
