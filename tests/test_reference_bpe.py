"""The bpe kata's reference against an independent brute force of the contract's rules (PyTorch has no BPE).

The brute force is written from the docstring, not from the reference: pairs counted by scanning every position,
the tie broken by searching the first position of each tied pair, replacement by a flag that skips the second id
of a match, encode by trying every merge in rank order; then properties: encoding the training text with its own
merges gives training's final sequence, and decode(encode(t)) == t.
"""
import random

import pytest

from solutions.bpe import decode, encode, train_bpe


def _replace(ids, pair, new):
    out, skip = [], False
    for j, x in enumerate(ids):
        if skip:
            skip = False
        elif j + 1 < len(ids) and (x, ids[j + 1]) == pair:
            out.append(new)
            skip = True
        else:
            out.append(x)
    return out


def _brute_train(text, n):
    """(merges, the final ids) by the contract's rules, spelled out."""
    ids, merges = list(text.encode("utf-8")), []
    for i in range(n):
        if len(ids) < 2:
            break
        pairs = [(ids[j], ids[j + 1]) for j in range(len(ids) - 1)]
        best = max(pairs.count(p) for p in pairs)
        tied = {p for p in pairs if pairs.count(p) == best}
        pair = min(tied, key=pairs.index)  # the first occurrence comes first
        ids = _replace(ids, pair, 256 + i)
        merges.append(pair)
    return merges, ids


def _brute_encode(text, merges):
    ids = list(text.encode("utf-8"))
    while True:
        present = {(ids[j], ids[j + 1]) for j in range(len(ids) - 1)}
        ranks = [i for i, pair in enumerate(merges) if tuple(pair) in present]
        if not ranks:
            return ids
        ids = _replace(ids, tuple(merges[ranks[0]]), 256 + ranks[0])


def _texts(seed, count):
    rng = random.Random(seed)
    alphabets = ["ab", "abc", "aab ", "a b", "xyzzy ", "éa中", "😀a b", "the cat sat"]
    for _ in range(count):
        alphabet = rng.choice(alphabets)
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))), rng.randint(0, 15)


@pytest.mark.parametrize("seed", range(4))
def test_train_and_encode_match_the_brute_force(seed):
    for text, n in _texts(seed, 150):
        merges, final = _brute_train(text, n)
        assert train_bpe(text, n) == merges, (text, n)
        assert encode(text, merges) == final, (text, n)  # training's own text: its final sequence
        other = text[::-1] + text[: len(text) // 2]
        assert encode(other, merges) == _brute_encode(other, merges), (other, merges)
        assert decode(encode(other, merges), merges) == other


def test_merges_are_python_int_pairs():
    merges = train_bpe("héllo héllo 中文", 6)
    assert all(type(pair) is tuple and len(pair) == 2 and all(type(x) is int for x in pair) for pair in merges)
    assert all(type(x) is int for x in encode("héllo", merges))


def test_stated_examples():
    assert train_bpe("aaa", 5) == [(97, 97), (256, 97)]  # "aaa" -> [256, 97]: one merge, not two
    assert train_bpe("aaaa", 5) == [(97, 97), (256, 256)]
    assert train_bpe("mzab", 1) == [(109, 122)]  # all tied: the first pair, not (97, 98) nor (122, 97)
    assert train_bpe("", 3) == [] and train_bpe("ab", 10) == [(97, 98)]
    assert encode("", [(97, 98)]) == [] and decode([], [(97, 98)]) == ""


def test_decode_joins_bytes_then_replaces():
    rng = random.Random(5)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 12)))
        assert decode(list(data), []) == data.decode("utf-8", errors="replace")
    assert decode([256, 173], [(228, 184)]) == "中"
    assert decode([256], [(228, 184)]) == "\ufffd"


@pytest.mark.parametrize("ids", [[-1], [258], [97, 300]])
def test_unknown_ids_raise(ids):
    with pytest.raises(ValueError):
        decode(ids, [(97, 98), (256, 99)])


def test_negative_num_merges_raises():
    with pytest.raises(ValueError):
        train_bpe("abc", -1)
