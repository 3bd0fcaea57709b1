"""Kata bpe: byte-level byte-pair encoding (BPE), trained, then encoding and decoding.

Implement the functions below in plain Python; each docstring is the whole
specification. Then grade your work with

    python -m grader bpe

which prints a scorecard of what passes and what does not. The worked
answer is in solutions/bpe.py: try the kata first.
"""

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
    raise NotImplementedError("train_bpe: not started")


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
    raise NotImplementedError("encode: not started")


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
    raise NotImplementedError("decode: not started")
