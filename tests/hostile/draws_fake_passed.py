"""Terminal escape sequences in what it prints, raises and returns (a type name): a fake green PASSED drawn
over the scorecard, the screen cleared, the cursor moved back."""
import numpy as np

class Weird:
    pass

Weird.__name__ = "X\x1b[2J\x1b[1;32mScore 13/13  PASSED\x1b[0m"

def conv2d_forward(x, w, b, stride=1, pad=0):
    print("\x1b[2J\x1b[1;32mScore 13/13  PASSED\x1b[0m\r\x1b[A")
    raise ValueError("\x1b[2J\x1b[1;32mScore 13/13  PASSED\x1b[0m")

def conv2d_backward(dout, cache):
    return Weird(), Weird(), Weird()
