# expect-fail: max_len 1
# diagnosis: max_len counts bos
"""range(max_len - 1): max_len taken as the length with bos."""
import heapq
import math
def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    if beam_width < 1 or max_len < 1:
        raise ValueError("beam_width and max_len must be >= 1")
    beam = [([bos], 0.0)]
    finished = []
    for _ in range(max_len - 1):  # max_len counted with bos
        candidates = []
        for seq, s in beam:
            lp = step_fn(seq)
            for tok in range(len(lp)):
                candidates.append((seq + [tok], s + float(lp[tok])))
        best = heapq.nlargest(beam_width, candidates, key=lambda c: c[1])
        beam = []
        for seq, s in best:
            (finished if seq[-1] == eos else beam).append((seq, s))
        if not beam:
            break
    finished.extend(beam)
    def final(h):
        return h[1] / (len(h[0]) - 1) if length_norm else h[1]
    best = max(finished, key=final)  # first of equal ones: finished first
    return best[0], final(best)
