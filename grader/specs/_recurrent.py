"""What rnn, lstm and gru share: the sequence layer's known mistakes that do not depend on the cell.

A loop over time that starts its list of states from [h0] returns h0 with them, and one that appends each
step's dx while running t = T-1, ..., 0 stacks them last step first: the same slips whatever the cell.
"""
from __future__ import annotations

import numpy as np

from grader.authoring.kata import KnownMistake
from grader.authoring.layer import Layer, layer_mistake


def sequence_mistakes(sequence: Layer) -> tuple[KnownMistake, ...]:
    """The known mistakes of `sequence` (a Layer whose forward is `<cell>_forward(x, h0, *weights)`, returning h of
    shape (N, T, H), and whose first gradient is dx) that any recurrent cell can make."""
    forward = sequence.forward

    def with_h0(reference, x, h0, *weights):
        """h with h0 prepended: (N, T+1, H), the list of states a loop builds when it starts from [h0]."""
        return np.concatenate([h0[:, None], getattr(reference, forward)(x, h0, *weights)[0]], axis=1)

    return (
        layer_mistake(sequence, "h0 included in h",
                      f"Your h has T + 1 steps, h0 first: {forward} returns the T new hidden states, h[:, t] the "
                      "state after step t, without h0 (as PyTorch's output), so h is (N, T, H) and dh[:, t] belongs "
                      "to step t.", forward=with_h0),
        layer_mistake(sequence, "dx in reverse time order",
                      "Your dx[:, t] holds the gradient of step T-1-t: the backward loop runs t = T-1, ..., 0, and "
                      "appending each step's dx to a list (then stacking it) stores them last step first. Write "
                      "dx[:, t] = ... in place, or reverse the list before stacking.",
                      gradients=lambda reference, right, dout, *arrays: (right[0][:, ::-1], *right[1:])),
    )
