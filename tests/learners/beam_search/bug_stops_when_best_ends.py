# expect-fail: tokens and score
"""Stops as soon as the best candidate ends with eos, ignoring whether a longer live one would score higher."""
import heapq
def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    """stops as soon as the best candidate ends with eos, returning it"""
    if beam_width < 1 or max_len < 1:
        raise ValueError
    beam = [([bos], 0.0)]
    for _ in range(max_len):
        cands = [(seq + [t], s + float(lp)) for seq, s in beam for t, lp in enumerate(step_fn(seq))]
        beam = heapq.nlargest(beam_width, cands, key=lambda c: c[1])
        if beam[0][0][-1] == eos:
            break
        beam = [b for b in beam if b[0][-1] != eos] or beam
    seq, s = beam[0]
    return seq, (s / (len(seq) - 1) if length_norm else s)
