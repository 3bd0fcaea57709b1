# expect: pass
"""Counter.most_common (ties in insertion order), encode applying the merges one after another in their order."""
from collections import Counter
def _merge(ids, pair, idx):
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(idx); i += 2
        else:
            out.append(ids[i]); i += 1
    return out
def train_bpe(text, num_merges):
    if num_merges < 0:
        raise ValueError("num_merges must be >= 0")
    ids = list(text.encode("utf-8")); merges = []
    for k in range(num_merges):
        stats = Counter(zip(ids, ids[1:]))
        if not stats:
            break
        pair = stats.most_common(1)[0][0]
        ids = _merge(ids, pair, 256 + k); merges.append(pair)
    return merges
def encode(text, merges):
    ids = list(text.encode("utf-8"))
    for k, pair in enumerate(merges):   # merges in order: the lowest index first, as stated
        ids = _merge(ids, tuple(pair), 256 + k)
    return ids
def decode(ids, merges):
    vocab = {i: bytes([i]) for i in range(256)}
    for k, (a, b) in enumerate(merges):
        vocab[256 + k] = vocab[a] + vocab[b]
    for i in ids:
        if i not in vocab:
            raise ValueError(f"unknown id {i}")
    return b"".join(vocab[i] for i in ids).decode("utf-8", errors="replace")
