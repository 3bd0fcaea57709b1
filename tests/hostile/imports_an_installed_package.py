"""Imports a package that is installed beside the grader (rich) but that confined code cannot reach."""
import rich  # noqa: F401


def conv2d_forward(x, w, b, stride=1, pad=0):
    raise RuntimeError("the import was allowed")


def conv2d_backward(dout, cache):
    raise RuntimeError("not this one")
