# expect-fail: ties: the pair occurring first wins
# diagnosis: ties broken by the last occurrence
"""A hand-written max loop with >=: among equal counts the last pair wins."""
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
def train_bpe(text, num_merges):
    """ties: the LAST pair with the max count wins (>= in a manual max loop)"""
    if num_merges < 0:
        raise ValueError
    ids = list(text.encode("utf-8")); merges = []
    for k in range(num_merges):
        counts = {}
        for p in zip(ids, ids[1:]):
            counts[p] = counts.get(p, 0) + 1
        if not counts:
            break
        best, n = None, -1
        for p, c in counts.items():
            if c >= n:
                best, n = p, c
        ids = _merge(ids, best, 256 + k); merges.append(best)
    return merges
