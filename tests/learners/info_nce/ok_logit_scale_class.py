# expect: pass
"""open_clip style: a loss class holding logit_scale = 1/temperature, logits_per_image and logits_per_text, log-sum-exp by np.logaddexp.reduce, the projection by einsum; returns np.float64."""
import numpy as np
class _CLIPLoss:
    def __init__(self, temperature):
        if temperature <= 0:
            raise ValueError("temperature must be > 0")
        self.logit_scale = 1.0 / temperature
    @staticmethod
    def _normalize(v):
        norm = np.sqrt((v ** 2).sum(-1, keepdims=True))
        return v / norm, norm
    @staticmethod
    def _xent(logits):
        n = len(logits)
        lse = np.logaddexp.reduce(logits, axis=1)
        idx = np.arange(n)
        loss = np.mean(lse - logits[idx, idx])
        g = np.exp(logits - lse[:, None]); g[idx, idx] -= 1
        return loss, g / n
    def __call__(self, a, b):
        if a.ndim != 2 or a.shape != b.shape:
            raise ValueError("bad shapes")
        an, ra = self._normalize(a); bn, rb = self._normalize(b)
        logits_per_image = self.logit_scale * an @ bn.T
        logits_per_text = logits_per_image.T
        li, gi = self._xent(logits_per_image)
        lt, gt = self._xent(logits_per_text)
        g = (gi + gt.T) / 2
        dan = self.logit_scale * g @ bn
        dbn = self.logit_scale * g.T @ an
        back = lambda d, vn, r: (d - vn * np.einsum("nd,nd->n", d, vn)[:, None]) / r
        return np.float64((li + lt) / 2), back(dan, an, ra), back(dbn, bn, rb)
def info_nce(image_emb, text_emb, temperature=0.07):
    return _CLIPLoss(temperature)(np.asarray(image_emb), np.asarray(text_emb))
