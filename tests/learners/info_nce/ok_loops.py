# expect: pass
"""Naive loops over the pairs: every logit, both softmaxes and every gradient element one at a time, with the normalisation's Jacobian written out per row."""
import math

import numpy as np


def info_nce(image_emb, text_emb, temperature=0.07):
    if not temperature > 0:
        raise ValueError("temperature must be > 0")
    if np.ndim(image_emb) != 2 or np.shape(image_emb) != np.shape(text_emb):
        raise ValueError("image_emb and text_emb must be 2-D of one shape")
    N, D = image_emb.shape
    rx = [math.sqrt(sum(v * v for v in image_emb[i])) for i in range(N)]
    ry = [math.sqrt(sum(v * v for v in text_emb[i])) for i in range(N)]
    xn = [[image_emb[i, k] / rx[i] for k in range(D)] for i in range(N)]
    yn = [[text_emb[i, k] / ry[i] for k in range(D)] for i in range(N)]
    L = [[sum(xn[i][k] * yn[j][k] for k in range(D)) / temperature for j in range(N)] for i in range(N)]
    loss = 0.0
    dL = [[0.0] * N for _ in range(N)]
    for i in range(N):  # image i against every text: row i
        m = max(L[i])
        lse = m + math.log(sum(math.exp(L[i][j] - m) for j in range(N)))
        loss -= (L[i][i] - lse) / (2 * N)
        for j in range(N):
            dL[i][j] += (math.exp(L[i][j] - lse) - (i == j)) / (2 * N)
    for j in range(N):  # text j against every image: column j
        m = max(L[i][j] for i in range(N))
        lse = m + math.log(sum(math.exp(L[i][j] - m) for i in range(N)))
        loss -= (L[j][j] - lse) / (2 * N)
        for i in range(N):
            dL[i][j] += (math.exp(L[i][j] - lse) - (i == j)) / (2 * N)
    dimage, dtext = np.zeros((N, D)), np.zeros((N, D))
    for i in range(N):
        gx = [sum(dL[i][j] * yn[j][k] for j in range(N)) / temperature for k in range(D)]
        gy = [sum(dL[j][i] * xn[j][k] for j in range(N)) / temperature for k in range(D)]
        px = sum(gx[k] * xn[i][k] for k in range(D))
        py = sum(gy[k] * yn[i][k] for k in range(D))
        for k in range(D):
            dimage[i, k] = (gx[k] - xn[i][k] * px) / rx[i]
            dtext[i, k] = (gy[k] - yn[i][k] * py) / ry[i]
    return loss, dimage, dtext
