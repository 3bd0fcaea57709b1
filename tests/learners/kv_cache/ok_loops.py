# expect: pass
"""Naive loops: for each sequence, each new position in order, each head, append the position's key and value to
that head's lists and attend over the list, one key at a time. Appending before attending makes the mask come
for free: a position sees exactly the keys appended so far. A learner who thinks of decoding one token at a time
writes this first."""
import numpy as np


def decode_step(x_new, w_q, w_k, w_v, w_o, num_heads, cache=None):
    N, S, D = x_new.shape
    if D % num_heads != 0:
        raise ValueError("num_heads must divide D")
    dh = D // num_heads
    if cache is None:  # cache[n][h]: the keys and the values of sequence n, head h, one vector per position
        cache = [[{"keys": [], "values": []} for _ in range(num_heads)] for _ in range(N)]
    out = np.zeros((N, S, D))
    for n in range(N):
        for t in range(S):
            x = x_new[n, t]
            q, k, v = x @ w_q, x @ w_k, x @ w_v
            heads = []
            for h in range(num_heads):
                cols = slice(h * dh, (h + 1) * dh)
                store = cache[n][h]
                store["keys"].append(k[cols].copy())
                store["values"].append(v[cols].copy())
                scores = [float(q[cols] @ key) / np.sqrt(dh) for key in store["keys"]]
                top = max(scores)
                weights = [np.exp(score - top) for score in scores]
                total = sum(weights)
                head = np.zeros(dh)
                for weight, value in zip(weights, store["values"]):
                    head += weight / total * value
                heads.append(head)
            out[n, t] = np.concatenate(heads) @ w_o
    return out, cache
