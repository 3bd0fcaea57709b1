# expect-fail: encode values
# diagnosis: encode merges the most frequent pair
"""Encode copied from the training loop: the text's most frequent pair is merged when it is a merge, and encoding stops when it is not."""


def get_stats(ids):
    counts = {}
    for pair in zip(ids, ids[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def merge(ids, pair, idx):
    newids = []
    i = 0
    while i < len(ids):
        if i < len(ids) - 1 and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            newids.append(idx)
            i += 2
        else:
            newids.append(ids[i])
            i += 1
    return newids


def train_bpe(text, num_merges):
    if num_merges < 0:
        raise ValueError("num_merges must be >= 0")
    ids = list(text.encode("utf-8"))
    merges = []
    for i in range(num_merges):
        if len(ids) < 2:
            break
        stats = get_stats(ids)
        pair = max(stats, key=stats.get)
        ids = merge(ids, pair, 256 + i)
        merges.append(pair)
    return merges


def encode(text, merges):
    ranks = {tuple(p): i for i, p in enumerate(merges)}
    ids = list(text.encode("utf-8"))
    while len(ids) >= 2:
        stats = get_stats(ids)
        pair = max(stats, key=stats.get)
        if pair not in ranks:
            break
        ids = merge(ids, pair, 256 + ranks[pair])
    return ids


def decode(ids, merges):
    vocab = {idx: bytes([idx]) for idx in range(256)}
    for i, (a, b) in enumerate(merges):
        vocab[256 + i] = vocab[a] + vocab[b]
    for idx in ids:
        if idx not in vocab:
            raise ValueError(f"unknown id {idx}")
    return b"".join(vocab[idx] for idx in ids).decode("utf-8", errors="replace")
