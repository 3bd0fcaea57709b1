"""bpe: byte-level BPE (train_bpe, encode, decode), graded by exact equality of lists of ints and of text.

Plain-data values of the functions template: merges are "int pairs", ids "ints", text a "str", each compared exactly.
Every input is a fixed text; the merges and ids handed to encode and decode are this spec's own (`_train`,
`_encode`, the stated rule), so each function is judged on its own. Known mistakes are buggy copies of the rule.
"""
from dataclasses import replace

from grader.authoring.functions import Edge, Function, Inputs, Value, function_checks, function_mistake, raised, \
    returned
from grader.authoring.kata import Check, CheckFailed, Kata, KnownMistake
from grader.checks.returns import tried
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


_train = _buggy_train()  # the stated rule, right


def _encode(text, merges, most_frequent=False):
    """The stated rule: merge the present pair of lowest merge index until none is (`most_frequent`: the known
    mistake, the text's most frequent pair, stopping when it is not a merge)."""
    ids, rank = list(text.encode("utf-8")), {tuple(pair): i for i, pair in enumerate(merges)}
    while len(ids) >= 2:
        counts = {}
        for pair in zip(ids, ids[1:]):
            counts[pair] = counts.get(pair, 0) + 1
        pair = max(counts, key=counts.get) if most_frequent else min(counts, key=lambda p: rank.get(p, len(rank)))
        if pair not in rank:
            break
        ids = _replace(ids, pair, 256 + rank[pair])
    return ids


def _trained(label, text, n):
    return Inputs(label, {"text": text, "num_merges": n})


def _encoding(label, text, corpus):
    return Inputs(label, lambda rng: {"text": text, "merges": _train(*CORPORA[corpus])})


def _decoding(label, ids, merges=SPLIT):
    return Inputs(label, lambda rng: {"ids": ids(rng) if callable(ids) else ids,
                                      "merges": merges() if callable(merges) else merges})


def _random_ids(rng):
    ids = rng.integers(0, 256 + len(_train(*CORPORA[EN])), size=60)
    return [int(i) if i >= 256 else int(i) % 128 for i in ids]  # ASCII bytes and merges: valid UTF-8


ENCODED = tuple(_encoding(f"{label}, its merges", text, label) for label, (text, _) in CORPORA.items()) + (
    _encoding("other English text, the English merges", OTHER, EN),
    _encoding("other unicode text, the unicode merges", UNICODE, UNI))
TRAIN = Function("train_bpe", (Value("merges", kind="int pairs", shape_row="train_bpe returns a list of int pairs"),),
                 tuple(_trained(label, *case) for label, case in CORPORA.items()))
ENCODE = Function("encode", (Value("ids", kind="ints", listed=True, shape_row="encode returns a list of ints",
                                   values_row="encode values"),), ENCODED)
DECODE = Function("decode", (Value("text", kind="str", shape_row="decode returns a str", values_row="decode values"),),
                  tuple(_decoding(f"{e.label}: ids from the reference's encode",
                                  lambda rng, e=e: _encode(*e.arguments(rng).values()),
                                  lambda e=e: e.arguments(None)["merges"]) for e in ENCODED)
                  + (_decoding("60 random ids (ASCII bytes and English merges)", _random_ids,
                               lambda: _train(*CORPORA[EN])),))
TIES_IN = tuple(_trained(label, *case) for label, case in TIES.items())
OVERLAP_IN = tuple(_trained(label, *case) for label, case in OVERLAP.items())
SPLIT_IN = _decoding("decode([256, 173]) with merge 256 = (228, 184): 中 split between two tokens", [256, 173])
CUT = tuple(_decoding(label + ", merges [(228, 184), (97, 98)]", ids) for label, ids in (
    ("decode([256]): 中 cut after two of its three bytes", [256]), ("decode([97, 256, 98])", [97, 256, 98]),
    ("decode([173, 97]): a stray continuation byte", [173, 97])))

EDGES = (
    Edge("ties: the pair occurring first wins", tuple(("train_bpe", inputs) for inputs in TIES_IN)),
    Edge("overlapping pairs ('aaaa')", tuple(("train_bpe", inputs) for inputs in OVERLAP_IN) + tuple(
        ("encode", Inputs(f"encode({text!r}) with the merges of 'aaaa'", lambda rng, t=text: {
            "text": t, "merges": _train("aaaa", 5)})) for text in ("aaa", "aaaaa")),
         why="'aaa' holds (97, 97) twice, but it is replaced once (left to right, never overlapping): "),
    Edge("empty text and early stop", tuple(("train_bpe", _trained(f"train_bpe({text!r}, {n})", text, n))
                                            for text, n in (("", 3), ("a", 2), ("ab", 10))) + (
        ("encode", _encoding("encode('')", "", EN)), ("decode", _decoding("decode([])", [])))),
    Edge("a character split between two tokens", (("decode", SPLIT_IN),), expect={"text": "中"},
         why="join every token's bytes, then decode them once: "),
    Edge("ids cut mid-character give U+FFFD", tuple(("decode", inputs) for inputs in CUT),
         why="bytes.decode('utf-8', errors='replace') gives U+FFFD: "),
    Edge("num_merges < 0 raises ValueError", (("train_bpe", _trained("train_bpe('abc', -1)", "abc", -1)),),
         raises="ValueError", if_returned=lambda args: "a negative number of merges has no meaning"),
    Edge("an unknown id in decode raises ValueError", (
        ("decode", _decoding("decode([-1]) with 2 merges", [-1])),
        ("decode", _decoding("decode([97, 258]) with 2 merges (ids 0..257)", [97, 258]))),
         raises="ValueError", if_returned=lambda args: "an id outside 0 .. 255 + len(merges) has no bytes"),
)


def _round_trip(session):
    merges = _train(*CORPORA[UNI])
    for text in ROUND_TRIP:
        label = f"decode(encode({text!r})) with the unicode merges"
        with session.about(label):
            ids = session.call("encode", text, merges).value
            back = session.call("decode", ids, merges).value
        if back != text:
            raise CheckFailed(f"{label}: {back!r}, expected {text!r}")


def _not_modified(session):
    """encode and decode leave their lists as they were (the sandbox watches only arrays passed in)."""
    merges = _train(*CORPORA[EN])
    ids = _encode(OTHER, merges)
    for function, args in (("encode", (OTHER, merges)), ("decode", (ids, merges))):
        after = session.call(function, *args, return_args=True).args_after[0]
        for name, sent, back in zip(("text" if function == "encode" else "ids", "merges"), args, after):
            if [tuple(x) if isinstance(x, (list, tuple)) else x for x in back] != \
                    [tuple(x) if isinstance(x, (list, tuple)) else x for x in sent]:
                raise CheckFailed(f"{function} modified its input {name} in place: work on a copy")


CHECKS = tuple(replace(check, run=_not_modified) if check.name == "inputs not modified" else check
               for check in function_checks((TRAIN, ENCODE, DECODE), EDGES, extra=(
                   Check("round trip: decode(encode(t)) == t", "edge", _round_trip,
                         needs=("encode returns a list of ints", "decode returns a str")),)))


# -- known mistakes: buggy copies of the rule --------------------------------

def _leftmost(text, merges):
    """encode's known mistake: the leftmost pair that is a merge first, one occurrence at a time."""
    ids, rank = list(text.encode("utf-8")), {tuple(pair): i for i, pair in enumerate(merges)}
    spot = 0
    while spot is not None:
        spot = next((i for i in range(len(ids) - 1) if (ids[i], ids[i + 1]) in rank), None)
        if spot is not None:
            ids[spot:spot + 2] = [256 + rank[(ids[spot], ids[spot + 1])]]
    return ids


def _tie(key):
    return lambda counts: max(counts, key=lambda pair: (counts[pair], key(pair)))


def _trains_like(name, explanation, **buggy):
    """train_bpe's known mistake: `_buggy_train(**buggy)`, judged on the corpora, the ties and the overlaps."""
    train = _buggy_train(**buggy)
    return function_mistake(TRAIN, name, explanation, lambda reference, text, n: train(text, n), TIES_IN + OVERLAP_IN)


MISTAKES = (
    _trains_like("ties broken by the largest pair",
                 "Your merges break count ties by the largest pair (as max over (count, pair) does): the contract "
                 "breaks them by first occurrence, which max(counts, key=counts.get) over an insertion-ordered dict "
                 "gives.", pick=_tie(lambda pair: pair)),
    _trains_like("ties broken by the smallest pair",
                 "Your merges break count ties by the smallest pair (sorting by (-count, pair)): the contract breaks "
                 "them by the pair whose first occurrence comes first.", pick=_tie(lambda pair: (-pair[0], -pair[1]))),
    _trains_like("ties broken by the last occurrence",
                 "Your merges break count ties by the pair occurring LAST (a max loop with >=, or a dict scanned "
                 "for the last maximum): the first maximum in first-occurrence order wins, as "
                 "max(counts, key=counts.get) gives.", pick=lambda counts: max(reversed(list(counts)), key=counts.get)),
    _trains_like("overlapping occurrences merged",
                 "Your replacement merges every occurrence of the pair, overlapping ones included, so 'aaa' is merged "
                 "twice (into one token standing for 'aa': a byte lost): scan left to right and, after replacing the "
                 "pair at i, continue at i + 2.", overlapping=True),
    _trains_like("characters instead of UTF-8 bytes",
                 "Your ids start from the characters' code points (ord), not the UTF-8 bytes: start from "
                 "list(text.encode('utf-8')), so every id below 256 is a byte.", units=lambda text: list(map(ord, text))),
    function_mistake(ENCODE, "encode merges the most frequent pair",
                     "Your encode picks the text's most frequent pair, as training does, and stops when that pair is "
                     "not a merge: encode applies the merge of lowest index present, until none is.",
                     lambda reference, text, merges: _encode(text, merges, most_frequent=True)),
    function_mistake(ENCODE, "encode merges the leftmost merge first",
                     "Your encode merges the leftmost adjacent pair that is a merge, whatever its index: among the "
                     "pairs present, apply the merge of LOWEST index (min over the pairs by their merge index), "
                     "everywhere, then look again.", lambda reference, text, merges: _leftmost(text, merges)),
    KnownMistake("decode without errors='replace'",
                 "Your decode raises UnicodeDecodeError on ids cut mid-character: decode with "
                 "bytes.decode('utf-8', errors='replace').",
                 lambda session: raised(session, "decode", CUT[0]) == "UnicodeDecodeError"),
    KnownMistake("tokens decoded one by one",
                 "Your decode decodes each token's bytes on its own, so a character split between tokens becomes "
                 "two U+FFFD: join all the bytes first, then decode once.",
                 lambda session: tried(lambda: returned(session, "decode", SPLIT_IN).value) == "\ufffd\ufffd"),
)

_SPEED = _train(ENGLISH[:120], 12)

KATA = Kata(
    name="bpe",
    title="byte-level BPE: train merges (stated tie rule), encode, decode",
    functions=("train_bpe", "encode", "decode"),
    checks=CHECKS,
    speed=lambda session: time_calls(session, "train_bpe (120 chars, 12 merges) + encode + decode", [
        ("train_bpe", (ENGLISH[:120], 12), {}), ("encode", (ENGLISH, _SPEED), {}),
        ("decode", (_encode(ENGLISH, _SPEED), _SPEED), {})]),
    hints=("Everything is a list of ints from the UTF-8 bytes; two small helpers do the work: one counts adjacent "
           "pairs, one replaces a pair by a new id.",
           "Train: count pairs (overlapping), take the most frequent (a dict keeps first-occurrence order for ties), "
           "replace left to right skipping two after a match, record it as merge i = id 256 + i. Encode: repeatedly "
           "merge the present pair of lowest merge index. Decode: expand ids to bytes, join, decode once.",
           "pair = max(counts, key=counts.get); ids = replace(ids, pair, 256 + i); encode: pair = min(pairs, "
           "key=rank.get); decode: b''.join(vocab[i] for i in ids).decode('utf-8', errors='replace')."),
    mistakes=MISTAKES,
)
