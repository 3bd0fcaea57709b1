# expect: pass
"""Everything by hand with index loops: counts and first positions kept side by side, the tie rule spelled out as
(count, -first position), a recursive expansion of ids to bytes; the way a learner writes it who distrusts dict
ordering."""


def _count(ids):
    counts, first = {}, {}
    for j in range(len(ids) - 1):
        pair = (ids[j], ids[j + 1])
        if pair not in counts:
            counts[pair] = 0
            first[pair] = j
        counts[pair] += 1
    return counts, first


def _replace(ids, pair, new):
    out = []
    j = 0
    while j < len(ids):
        if j + 1 < len(ids) and ids[j] == pair[0] and ids[j + 1] == pair[1]:
            out.append(new)
            j = j + 2
        else:
            out.append(ids[j])
            j = j + 1
    return out


def train_bpe(text, num_merges):
    if num_merges < 0:
        raise ValueError("negative num_merges")
    ids = [b for b in text.encode("utf-8")]
    merges = []
    for i in range(num_merges):
        if len(ids) < 2:
            break
        counts, first = _count(ids)
        best = None
        for pair in counts:
            if best is None or (counts[pair], -first[pair]) > (counts[best], -first[best]):
                best = pair
        ids = _replace(ids, best, 256 + i)
        merges.append((best[0], best[1]))
    return merges


def encode(text, merges):
    ids = [b for b in text.encode("utf-8")]
    while True:
        best = None
        for j in range(len(ids) - 1):
            for rank in range(len(merges)):
                if (ids[j], ids[j + 1]) == tuple(merges[rank]) and (best is None or rank < best):
                    best = rank
        if best is None:
            return ids
        ids = _replace(ids, tuple(merges[best]), 256 + best)


def _expand(token, merges):
    if token < 256:
        return [token]
    a, b = merges[token - 256]
    return _expand(a, merges) + _expand(b, merges)


def decode(ids, merges):
    data = []
    for token in ids:
        if token < 0 or token >= 256 + len(merges):
            raise ValueError(f"id {token} is not a byte or a merge")
        data.extend(_expand(token, merges))
    return bytes(data).decode("utf-8", errors="replace")
