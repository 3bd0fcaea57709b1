# expect: pass
"""Scores as a (beams, V) array, a stable argsort of the flattened candidates, divmod for beam and token; tokens returned as an array, score as a numpy float."""
import numpy as np
def beam_search(step_fn, bos, eos, beam_width, max_len, length_norm=False):
    if beam_width < 1 or max_len < 1:
        raise ValueError
    seqs, scores = [[bos]], np.zeros(1)
    done_seqs, done_scores = [], []
    for t in range(max_len):
        logp = np.stack([np.asarray(step_fn(s), dtype=np.float64) for s in seqs])
        V = logp.shape[1]
        total = (scores[:, None] + logp).ravel()
        top = np.argsort(-total, kind="stable")[:beam_width]
        new_seqs, new_scores = [], []
        for flat in top:
            b, tok = divmod(int(flat), V)
            seq = seqs[b] + [tok]
            if tok == eos:
                done_seqs.append(seq); done_scores.append(total[flat])
            else:
                new_seqs.append(seq); new_scores.append(total[flat])
        seqs, scores = new_seqs, np.array(new_scores)
        if not seqs:
            break
    done_seqs += seqs; done_scores += list(scores)
    final = np.array(done_scores)
    if length_norm:
        final = final / np.array([len(s) - 1 for s in done_seqs])
    i = int(np.argmax(final))
    return np.array(done_seqs[i]), final[i]
