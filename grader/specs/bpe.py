"""bpe: byte-level BPE (train_bpe, encode, decode), graded by exact equality of lists of ints and of text.

The functions template compares arrays of a declared shape, and these functions return Python lists and str: every
row here is the kata's own (`Check`), on fixed texts. Known mistakes are buggy copies judged by equality on the rows'
calls; the reference's merges are handed to encode and decode, so each function is judged on its own.
"""
import numpy as np

from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.returns import exception_raised, expect_raises, tried
from grader.checks.speed import time_calls

ENGLISH = ("the cat sat on the mat; the rat sat on the cat. that is that, and then the end of the tale: "
           "a cat, a rat, a mat, and the hat that sat on the rat that sat on the mat of the cat.")
EN, UNI = "an English corpus, 40 merges", "a unicode corpus, 25 merges"
CORPORA = {EN: (ENGLISH, 40), "a repetitive corpus, 12 merges": ("abababab aaabbb ababa aaaa bbb abab", 12),
           UNI: ("héllo wörld, héllo 中文中文 😀😀 naïve café 中文 😀 wörld", 25)}
TIES = {"'mzab': every pair once": ("mzab", 3), "'dcba xdcb': ties at every merge": ("dcba xdcb", 6),
        "'yzab ba': (98, 97) twice": ("yzab ba", 4)}
OVERLAP = {"'aaaa'": ("aaaa", 5), "'aaaaaaa'": ("aaaaaaa", 6)}
OTHER = "the hat of the cat sat on a rat; a tale of a mat."
UNICODE = "naïve wörld 中文 😀 café, 中文中文"
ROUND_TRIP = ("", "a", OTHER, UNICODE, "e\u0301 😀👍🏽 🇫🇷 \u00a0\t\n", "中")
SPLIT = [(228, 184), (97, 98)]  # merge 256 = the first two bytes of 中 (e4 b8 ad): the character spans two tokens


def _call(session, function, label, *args):
    """The learner's value of function(*args), called once per label."""
    def call():
        with session.about(label):
            return session.call(function, *args).value
    return session.memo(("call", function, label), call)


def _merges(value, where):
    if not isinstance(value, (list, tuple)) or not all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 and all(_is_int(x) for x in pair) for pair in value):
        raise CheckFailed(f"{where}: train_bpe must return a list of (a, b) pairs of ints, got {_show(value)}")
    return [(int(a), int(b)) for a, b in value]


def _ids(value, where):
    if not isinstance(value, (list, tuple)) or not all(_is_int(x) for x in value):
        raise CheckFailed(f"{where}: encode must return a list of ints, got {_show(value)}")
    return [int(x) for x in value]


def _text(value, where):
    if not isinstance(value, str):
        raise CheckFailed(f"{where}: decode must return a str, got {_show(value)}")
    return value


def _is_int(x):
    return isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_))


def _show(value):
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def _ref_merges(session, corpus):
    return session.memo(("merges", corpus), lambda: session.reference.train_bpe(*CORPORA[corpus]))


def _encoded(session, label, text, merges):
    return _ids(_call(session, "encode", label, text, merges), label)


def _train(session, label, text, n):
    return _merges(_call(session, "train_bpe", label, text, n), label)


def _encode_cases(session):
    """(label, text, merges): the corpora with their own merges, other text, unicode text."""
    english, uni = _ref_merges(session, EN), _ref_merges(session, UNI)
    cases = [(f"{label}, its merges", text, _ref_merges(session, label)) for label, (text, _) in CORPORA.items()]
    return cases + [("other English text, the English merges", OTHER, english),
                    ("other unicode text, the unicode merges", UNICODE, uni)]


def _decode_cases(session):
    """(label, ids, merges): the reference's ids of the encode cases, and random ids over the English merges."""
    english = _ref_merges(session, EN)
    ids = session.rng("ids").integers(0, 256 + len(english), size=60)
    ids = [int(i) if i >= 256 else int(i) % 128 for i in ids]  # ASCII bytes and merges: valid UTF-8
    cases = [(f"{label}: ids from the reference's encode", session.reference.encode(text, merges), merges)
             for label, text, merges in _encode_cases(session)]
    return cases + [("60 random ids (ASCII bytes and English merges)", ids, english)]


def _first_difference(expected, got, what):
    if len(expected) != len(got) and expected[:len(got)] == got[:len(expected)]:
        return f"{len(got)} {what}, expected {len(expected)}"
    i = next(i for i, (a, b) in enumerate(zip(expected, got)) if a != b)
    return f"{what[:-1]} {i} is {got[i]!r}, expected {expected[i]!r}"


def _expect_equal(expected, got, label, what):
    if expected != got:
        shown = _first_difference(expected, got, what) if isinstance(expected, list) else \
            f"{got!r}, expected {expected!r}"
        raise CheckFailed(f"{label}: {shown}")


# -- the rows ---------------------------------------------------------------

def _train_rows(session, table):
    for label, (text, n) in table.items():
        _expect_equal(session.reference.train_bpe(text, n), _train(session, label, text, n), f"{label}", "merges")


def _encode_row(session):
    for label, text, merges in _encode_cases(session):
        _expect_equal(session.reference.encode(text, merges), _encoded(session, label, text, merges), label, "ids")


def _decode_row(session):
    for label, ids, merges in _decode_cases(session):
        _expect_equal(session.reference.decode(ids, merges), _text(_call(session, "decode", label, ids, merges), label),
                      label, "text")


def _overlap_row(session):
    try:
        _train_rows(session, OVERLAP)
    except CheckFailed as failed:
        raise CheckFailed(f"{failed} ('aaa' holds (97, 97) twice, but it is replaced once: left to right, never "
                          f"overlapping)") from None
    merges = session.reference.train_bpe("aaaa", 5)
    for text in ("aaa", "aaaaa"):
        label = f"encode({text!r}) with the merges of 'aaaa'"
        _expect_equal(session.reference.encode(text, merges), _encoded(session, label, text, merges), label, "ids")


def _round_trip_row(session):
    merges = _ref_merges(session, UNI)
    for text in ROUND_TRIP:
        label = f"decode(encode({text!r})) with the unicode merges"
        ids = _ids(_call(session, "encode", f"round trip encode {text!r}", text, merges), label)
        back = _text(_call(session, "decode", f"round trip decode {text!r}", ids, merges), label)
        _expect_equal(text, back, label, "")


def _empty_row(session):
    for text, n in (("", 3), ("a", 2), ("ab", 10)):
        label = f"train_bpe({text!r}, {n})"
        _expect_equal(session.reference.train_bpe(text, n), _train(session, label, text, n), label, "merges")
    merges = _ref_merges(session, EN)
    _expect_equal([], _ids(_call(session, "encode", "encode('')", "", merges), "encode('')"), "encode('')", "ids")
    _expect_equal("", _text(_call(session, "decode", "decode([])", [], merges), "decode([])"), "decode([])", "")


SPLIT_LABEL = "decode([256, 173]) with merge 256 = (228, 184): 中 split between two tokens"


def _split_row(session):
    label = SPLIT_LABEL
    got = _text(_call(session, "decode", label, [256, 173], SPLIT), label)
    if got != "中":
        raise CheckFailed(f"{label}: got {got!r}, expected '中': join every token's bytes, then decode them once")


CUT = {"decode([256]): 中 cut after two of its three bytes": [256], "decode([97, 256, 98])": [97, 256, 98],
       "decode([173, 97]): a stray continuation byte": [173, 97]}


def _cut_row(session):
    for label, ids in CUT.items():
        _expect_equal(session.reference.decode(ids, SPLIT), _text(_call(session, "decode", label, ids, SPLIT), label),
                      f"{label}, merges [(228, 184), (97, 98)] (errors='replace' gives U+FFFD)", "")


def _raises(session, calls):
    for label, function, args in calls:
        call = lambda: _call(session, function, label, *args)  # noqa: E731 -- memoised: a raise is raised again
        expect_raises(call, "ValueError", label, f"{function} returned {_show(tried(call))}")


def _negative_row(session):
    _raises(session, (("train_bpe('abc', -1)", "train_bpe", ("abc", -1)),))


def _unknown_row(session):
    _raises(session, (("decode([-1]) with 2 merges", "decode", ([-1], SPLIT)),
                      ("decode([97, 258]) with 2 merges (ids 0..257)", "decode", ([97, 258], SPLIT))))


def _not_modified(session):
    merges = _ref_merges(session, EN)
    ids = session.reference.encode(OTHER, merges)
    for function, args in (("encode", (OTHER, merges)), ("decode", (ids, merges))):
        after = session.call(function, *args, return_args=True).args_after[0]
        for name, sent, back in zip(("text" if function == "encode" else "ids", "merges"), args, after):
            if [tuple(x) if isinstance(x, (list, tuple)) else x for x in back] != \
                    [tuple(x) if isinstance(x, (list, tuple)) else x for x in sent]:
                raise CheckFailed(f"{function} modified its input {name} in place: work on a copy")


def _deterministic(session):
    (label, (text, n)), merges = next(iter(CORPORA.items())), _ref_merges(session, next(iter(CORPORA)))
    for function, args in (("train_bpe", (text, n)), ("encode", (text, merges)),
                           ("decode", (session.reference.encode(text, merges), merges))):
        first, second = (session.call(function, *args).value for _ in range(2))
        if first != second:
            raise CheckFailed(f"{function} on {label} gave different values on two calls with the same inputs")


SHAPES = ("train_bpe returns a list of int pairs", "encode returns a list of ints", "decode returns a str")
CHECKS = (
    Check(SHAPES[0], "shape", lambda s: [_train(s, label, *case) for label, case in CORPORA.items()] and None),
    Check(SHAPES[1], "shape", lambda s: [_ids(_call(s, "encode", label, text, m), label)
                                         for label, text, m in _encode_cases(s)] and None),
    Check(SHAPES[2], "shape", lambda s: [_text(_call(s, "decode", label, ids, m), label)
                                         for label, ids, m in _decode_cases(s)] and None),
    Check("merges values", "value", lambda s: _train_rows(s, CORPORA), needs=SHAPES[:1]),
    Check("encode values", "value", _encode_row, needs=SHAPES[1:2]),
    Check("decode values", "value", _decode_row, needs=SHAPES[2:]),
    Check("ties: the pair occurring first wins", "edge", lambda s: _train_rows(s, TIES), needs=SHAPES[:1]),
    Check("overlapping pairs ('aaaa')", "edge", _overlap_row, needs=SHAPES[:2]),
    Check("round trip: decode(encode(t)) == t", "edge", _round_trip_row, needs=SHAPES[1:]),
    Check("empty text and early stop", "edge", _empty_row, needs=SHAPES),
    Check("a character split between two tokens", "edge", _split_row, needs=SHAPES[2:]),
    Check("ids cut mid-character give U+FFFD", "edge", _cut_row, needs=SHAPES[2:]),
    Check("num_merges < 0 raises ValueError", "edge", _negative_row),
    Check("an unknown id in decode raises ValueError", "edge", _unknown_row),
    Check("inputs not modified", "behaviour", _not_modified),
    Check("deterministic", "behaviour", _deterministic, needs=SHAPES),
)


# -- known mistakes: buggy copies, judged by equality on the rows' calls ----

def _replace(ids, pair, new, overlapping=False):
    """Left to right, never overlapping; `overlapping`: every position found first, then replaced right to left,
    so 'aaa' merges twice (into one token that stands for 'aa': a byte lost)."""
    spots = [i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) == pair]
    if overlapping:
        ids = list(ids)
        for i in reversed(spots):
            ids[i:i + 2] = [new]
        return ids
    out, i = [], 0
    while i < len(ids):
        if i in spots:
            out.append(new)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _buggy_train(pick=lambda counts: max(counts, key=counts.get), overlapping=False,
                 units=lambda text: list(text.encode("utf-8"))):
    def train(text, n):
        ids, merges = units(text), []
        for i in range(n):
            if len(ids) < 2:
                break
            counts = {}
            for pair in zip(ids, ids[1:]):
                counts[pair] = counts.get(pair, 0) + 1
            pair = pick(counts)
            ids = _replace(ids, pair, 256 + i, overlapping)
            merges.append(pair)
        return merges
    return train


def _trains_like(train):
    def detect(session):
        cases = {**CORPORA, **TIES, **OVERLAP}
        pairs = [(train(*case), tried(lambda: _train(session, label, *case)), session.reference.train_bpe(*case))
                 for label, case in cases.items()]
        pairs = [(mistaken, got, right) for mistaken, got, right in pairs if got is not None]
        return bool(pairs) and all(got == mistaken for mistaken, got, _ in pairs) and \
            any(got != right for _, got, right in pairs)
    return detect


def _encodes_most_frequent(session):
    def encode(text, merges):
        ids, rank = list(text.encode("utf-8")), {tuple(p): i for i, p in enumerate(merges)}
        while len(ids) >= 2:
            counts = {}
            for pair in zip(ids, ids[1:]):
                counts[pair] = counts.get(pair, 0) + 1
            pair = max(counts, key=counts.get)
            if pair not in rank:
                break
            ids = _replace(ids, pair, 256 + rank[pair])
        return ids
    pairs = [(encode(text, m), tried(lambda: _ids(_call(session, "encode", label, text, m), label)),
              session.reference.encode(text, m)) for label, text, m in _encode_cases(session)]
    pairs = [pair for pair in pairs if pair[1] is not None]
    return bool(pairs) and all(got == mistaken for mistaken, got, _ in pairs) and any(g != r for _, g, r in pairs)


def _strict_decode(session):
    return exception_raised(lambda: _call(session, "decode", next(iter(CUT)), CUT[next(iter(CUT))], SPLIT)) == \
        "UnicodeDecodeError"


def _per_token(session):
    return tried(lambda: _call(session, "decode", SPLIT_LABEL, [256, 173], SPLIT)) == "\ufffd\ufffd"


def _tie(key):
    return lambda counts: max(counts, key=lambda pair: (counts[pair], key(pair)))


MISTAKES = (
    KnownMistake("ties broken by the largest pair",
                 "Your merges break count ties by the largest pair (as max over (count, pair) does): the contract "
                 "breaks them by first occurrence, which max(counts, key=counts.get) over an insertion-ordered dict "
                 "gives.", _trains_like(_buggy_train(_tie(lambda pair: pair)))),
    KnownMistake("ties broken by the smallest pair",
                 "Your merges break count ties by the smallest pair (sorting by (-count, pair)): the contract breaks "
                 "them by the pair whose first occurrence comes first.",
                 _trains_like(_buggy_train(_tie(lambda pair: (-pair[0], -pair[1]))))),
    KnownMistake("overlapping occurrences merged",
                 "Your replacement merges every occurrence of the pair, overlapping ones included, so 'aaa' is merged "
                 "twice (into one token standing for 'aa': a byte lost): scan left to right and, after replacing the "
                 "pair at i, continue at i + 2.",
                 _trains_like(_buggy_train(overlapping=True))),
    KnownMistake("characters instead of UTF-8 bytes",
                 "Your ids start from the characters' code points (ord), not the UTF-8 bytes: start from "
                 "list(text.encode('utf-8')), so every id below 256 is a byte.",
                 _trains_like(_buggy_train(units=lambda text: list(map(ord, text))))),
    KnownMistake("encode merges the most frequent pair",
                 "Your encode picks the text's most frequent pair, as training does, and stops when that pair is not "
                 "a merge: encode applies the merge of lowest index present, until none is.", _encodes_most_frequent),
    KnownMistake("decode without errors='replace'",
                 "Your decode raises UnicodeDecodeError on ids cut mid-character: decode with "
                 "bytes.decode('utf-8', errors='replace').", _strict_decode),
    KnownMistake("tokens decoded one by one",
                 "Your decode decodes each token's bytes on its own, so a character split between tokens becomes "
                 "two U+FFFD: join all the bytes first, then decode once.", _per_token),
)

_SPEED = (ENGLISH[:120], 12)

KATA = Kata(
    name="bpe",
    title="byte-level BPE: train merges (stated tie rule), encode, decode",
    functions=("train_bpe", "encode", "decode"),
    checks=CHECKS,
    speed=lambda session: time_calls(session, "train_bpe (120 chars, 12 merges) + encode + decode", [
        ("train_bpe", _SPEED, {}),
        ("encode", (ENGLISH, session.reference.train_bpe(*_SPEED)), {}),
        ("decode", (session.reference.encode(ENGLISH, session.reference.train_bpe(*_SPEED)),
                    session.reference.train_bpe(*_SPEED)), {})]),
    hints=("Everything is a list of ints from the UTF-8 bytes; two small helpers do the work: one counts adjacent "
           "pairs, one replaces a pair by a new id.",
           "Train: count pairs (overlapping), take the most frequent (a dict keeps first-occurrence order for ties), "
           "replace left to right skipping two after a match, record it as merge i = id 256 + i. Encode: repeatedly "
           "merge the present pair of lowest merge index. Decode: expand ids to bytes, join, decode once.",
           "pair = max(counts, key=counts.get); ids = replace(ids, pair, 256 + i); encode: pair = min(pairs, "
           "key=rank.get); decode: b''.join(vocab[i] for i in ids).decode('utf-8', errors='replace')."),
    mistakes=MISTAKES,
)
