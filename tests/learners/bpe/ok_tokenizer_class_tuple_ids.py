# expect: pass
"""A Tokenizer class with a list vocab, ids built as a tuple of numpy ints, returned as a list."""
import numpy as np
class Tokenizer:
    def __init__(self, merges=()):
        self.merges = {tuple(p): 256 + i for i, p in enumerate(merges)}
        self.vocab = [bytes([i]) for i in range(256)]
        for p in merges:
            self.vocab.append(self.vocab[p[0]] + self.vocab[p[1]])
    @staticmethod
    def replace(ids, pair, new):
        out = []
        skip = False
        for i, x in enumerate(ids):
            if skip:
                skip = False; continue
            if i < len(ids) - 1 and (x, ids[i + 1]) == pair:
                out.append(new); skip = True
            else:
                out.append(x)
        return out
    def encode(self, text):
        ids = list(text.encode("utf-8"))
        while len(ids) > 1:
            pairs = set(zip(ids, ids[1:]))
            best = min(pairs, key=lambda p: self.merges.get(p, float("inf")))
            if best not in self.merges:
                break
            ids = self.replace(ids, best, self.merges[best])
        return tuple(np.int64(i) for i in ids)
    def decode(self, ids):
        if any(i < 0 or i >= len(self.vocab) for i in ids):
            raise ValueError("unknown id")
        return b"".join(self.vocab[i] for i in ids).decode("utf-8", "replace")
def train_bpe(text, num_merges):
    if num_merges < 0:
        raise ValueError
    ids, merges = list(text.encode()), []
    while len(merges) < num_merges and len(ids) > 1:
        counts = {}
        for p in zip(ids, ids[1:]):
            counts[p] = counts.get(p, 0) + 1
        best = max(counts.items(), key=lambda kv: kv[1])[0]
        merges.append(best)
        ids = Tokenizer.replace(ids, best, 255 + len(merges))
    return merges
def encode(text, merges):
    return list(Tokenizer(merges).encode(text))
def decode(ids, merges):
    return Tokenizer(merges).decode(ids)
