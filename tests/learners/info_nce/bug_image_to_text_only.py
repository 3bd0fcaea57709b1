# expect-group-fail: value
# diagnosis: only image-to-text
"""Only classifies each image's caption among the texts, the "InfoNCE" of CPC and SimCLR's one-way form, because the loss is often described as "the image picks its caption"; CLIP averages both directions."""
import numpy as np


def info_nce(image_emb, text_emb, temperature=0.07):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    if image_emb.ndim != 2 or image_emb.shape != text_emb.shape:
        raise ValueError("shapes differ")
    N = image_emb.shape[0]
    ni = np.linalg.norm(image_emb, axis=1, keepdims=True)
    nt = np.linalg.norm(text_emb, axis=1, keepdims=True)
    img, txt = image_emb / ni, text_emb / nt
    logits = img @ txt.T / temperature
    z = logits - logits.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -np.mean(np.diag(logp))
    d = (np.exp(logp) - np.eye(N)) / N / temperature
    gi, gt = d @ txt, d.T @ img
    dimage = (gi - img * (gi * img).sum(axis=1, keepdims=True)) / ni
    dtext = (gt - txt * (gt * txt).sum(axis=1, keepdims=True)) / nt
    return loss, dimage, dtext
