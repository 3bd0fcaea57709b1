"""Reference for the bpe kata: byte-level BPE as in Karpathy's minbpe.

Two helpers do all the work: counting adjacent pairs (a dict keeps its keys in
insertion order, so max() over it breaks count ties by first occurrence) and
replacing one pair left to right. Training is "count, pick, replace" in a
loop; encoding replays the merges by rank; decoding expands ids to bytes and
decodes the joined bytes once.
"""


def _pair_counts(ids):
    """{pair: count} of adjacent pairs, overlapping ones included, keys in order of first occurrence."""
    counts = {}
    for pair in zip(ids, ids[1:]):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def _replace(ids, pair, new_id):
    """ids with every occurrence of pair replaced by new_id, left to right, never overlapping."""
    out, i = [], 0
    while i < len(ids):
        if i + 1 < len(ids) and ids[i] == pair[0] and ids[i + 1] == pair[1]:
            out.append(new_id)
            i += 2  # skip both: in "aaa" the second (a, a) overlaps the first and is not merged
        else:
            out.append(ids[i])
            i += 1
    return out

def train_bpe(text, num_merges):
    """Train byte-level BPE merges on `text` (as Karpathy's minbpe).

    Start from the text's UTF-8 bytes, ids = list(text.encode("utf-8")),
    each an int in 0..255. Then, for i = 0, 1, ..., num_merges - 1:

    - stop early when ids has fewer than 2 ids (nothing left to pair);
    - count every adjacent pair (ids[j], ids[j + 1]) over the whole
      sequence, overlapping occurrences included: "aaa" holds the pair
      (97, 97) twice;
    - pick the most frequent pair; ties go to the pair whose FIRST
      occurrence in the current ids comes first (not the largest or the
      smallest pair);
    - replace its occurrences in ids, scanning left to right and never
      overlapping ("aaa" becomes [256 + i, 97], one merge, not two), by the
      new id 256 + i, and record the pair as merge i.

    Inputs:
    - text: a str (any unicode; "" is allowed)
    - num_merges: an int >= 0, the most merges to learn

    Returns:
    - merges: a list of (a, b) tuples of Python ints, merge i making id
      256 + i; shorter than num_merges only when training stopped early.

    Raises ValueError when num_merges < 0.

    What is graded: train_bpe returns a list of pairs of ints; its merges
    equal the reference's exactly, on an English, a repetitive and a unicode
    corpus; the tie rule (a text whose pairs all tie, where the largest or
    the smallest pair would win instead of the first); overlapping pairs
    (train on "aaaa" and "aaaaaaa"); the empty text and early stopping ("" gives
    [], "ab" gives one merge however many are asked); num_merges < 0 raises
    ValueError; the same inputs give the same merges. Every value here is an
    int or a str, so there is no rounding and the agreement rule of the
    array katas (1e-6 relative, 1e-10 * s absolute) does not apply: values
    must be equal exactly. Speed is shown beside the score but never counted
    in it.
    """
    if num_merges < 0:
        raise ValueError(f"num_merges must be >= 0, got {num_merges}")
    ids, merges = list(text.encode("utf-8")), []
    for i in range(num_merges):
        if len(ids) < 2:
            break
        counts = _pair_counts(ids)
        # max() returns the first maximal key it meets: the earliest-occurring pair among those tied.
        pair = max(counts, key=counts.get)
        ids = _replace(ids, pair, 256 + i)
        merges.append((int(pair[0]), int(pair[1])))
    return merges


def encode(text, merges):
    """Encode `text` into token ids with the trained `merges`.

    Start from the text's UTF-8 bytes, list(text.encode("utf-8")). Then,
    repeatedly: among the adjacent pairs present in ids that are merges,
    take the one with the LOWEST merge index i (not the most frequent pair
    of this text), and replace all its occurrences, left to right and never
    overlapping, by 256 + i; stop when no adjacent pair is a merge (or
    fewer than 2 ids are left).

    Inputs:
    - text: a str (any unicode; "" gives [])
    - merges: a list of (a, b) pairs, as train_bpe returns; not modified

    Returns:
    - ids: a list of Python ints

    What is graded: encode returns a list of ints; they equal the
    reference's exactly (the reference's merges given), on the training
    corpora, on other text and on unicode text; "aaa" and "aaaaa" with the
    merges of "aaaa"; "" gives []; decode(encode(t)) == t for unicode
    text, emoji and the empty text; merges is not modified; the same
    inputs give the same ids. Values must be equal exactly (the agreement
    rule of the array katas, 1e-6 relative and 1e-10 * s absolute, is for
    floats and does not apply).
    """
    rank = {}
    for i, pair in enumerate(merges):
        rank.setdefault(tuple(pair), i)
    ids = list(text.encode("utf-8"))
    while len(ids) >= 2:
        # The lowest-ranked merge present: it was learnt first, so everything it builds on is there already.
        pair = min(_pair_counts(ids), key=lambda p: rank.get(p, len(merges)))
        if pair not in rank:
            break  # no adjacent pair is a merge
        ids = _replace(ids, pair, 256 + rank[pair])
    # (Replaying the merges in order, each once over the whole sequence, gives the same ids for merges from
    # train_bpe: merging never makes two old ids adjacent, so a merge absent now never appears later.)
    return ids


def decode(ids, merges):
    """Decode token ids back into text.

    Each id expands to bytes: an id b < 256 is the byte b; id 256 + i is
    the bytes of merges[i][0] followed by those of merges[i][1]. Join all
    the bytes of all the ids first, then decode once with
    bytes.decode("utf-8", errors="replace"): a character whose bytes are
    split between tokens decodes whole, and bytes that are not valid UTF-8
    (a token sequence cut mid-character) become U+FFFD instead of raising.

    Inputs:
    - ids: a list of ints (not modified)
    - merges: a list of (a, b) pairs, as train_bpe returns

    Returns:
    - text: a str

    Raises ValueError when an id is neither a byte (0..255) nor a merge
    (256..256 + len(merges) - 1): a negative id, say, or one past the last
    merge.

    What is graded: decode returns a str; it equals the reference's exactly
    on the reference's ids and on other id sequences; a character split
    between two tokens; ids cut mid-character (U+FFFD, not an error);
    [] gives ""; decode(encode(t)) == t; an unknown id (-1, or one past the
    last merge) raises ValueError; ids is not modified; the same inputs
    give the same text. Values must be equal exactly (the agreement rule of
    the array katas, 1e-6 relative and 1e-10 * s absolute, is for floats
    and does not apply).
    """
    vocab = [bytes([b]) for b in range(256)]
    for a, b in merges:
        vocab.append(vocab[a] + vocab[b])
    pieces = []
    for token in ids:
        if not 0 <= token < len(vocab):  # checked: vocab[-1] would silently be the last merge
            raise ValueError(f"unknown token id {token}: ids are 0..{len(vocab) - 1}")
        pieces.append(vocab[token])
    # Decode the joined bytes once: a character split between two tokens is whole only here.
    return b"".join(pieces).decode("utf-8", errors="replace")
