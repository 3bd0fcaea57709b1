"""Reference solution for the embedding kata: a token embedding lookup and its scatter-add backward."""

import numpy as np


def embedding_forward(ids, weight):
    """Token embedding lookup, forward pass.

    Each id picks one row of the table weight (V rows of D numbers):

        out[i_1, ..., i_k] = weight[ids[i_1, ..., i_k]]

    that is out = weight[ids], of shape ids.shape + (D,), for ids of any
    number of dimensions: a batch of tokens (N,), sequences (N, T), or
    more axes. ids are integers that pick rows: nothing is differentiated
    by them.

    Every id must lie in [0, V). An id of V or more, or a negative id,
    raises ValueError. numpy alone would not do it: weight[ids] raises
    IndexError for an id of V, and silently wraps a negative id around to
    the end of the table (weight[-1] is the last row). This holds for V = 1
    too. Do not modify ids or weight.

    Inputs:
    - ids: Integer array of any shape (i_1, ..., i_k), values in [0, V)
    - weight: The embedding table, of shape (V, D)

    Returns a tuple of:
    - out: The looked-up rows, of shape ids.shape + (D,)
    - cache: Whatever embedding_backward needs; the grader only hands it
      back to embedding_backward

    What is graded: the shape of out; its values against the reference (two
    arrays agree when their shapes are equal and max|a - b| <= 1e-6 *
    max(max|a|, max|b|), or max|a - b| <= 1e-10 * s, with s the largest
    magnitude among the check's inputs (ids and dout included), at least 1:
    an exact 0 that your formula computes as rounding noise agrees with 0)
    for ids of 1, 2 and 3 dimensions; that ids and weight are not modified;
    that the same inputs give the same outputs. Edge cases: ids where one
    id appears many times and most rows are never used, V = 1 (every id is
    0), an id equal to V (must raise ValueError) and a negative id (must
    raise ValueError). weight is float64. Speed is shown beside the score
    but never counted in it.
    """
    ids = np.asarray(ids)
    vocabulary = weight.shape[0]
    # Check before indexing: numpy would wrap -1 around to the last row, and an
    # empty ids has no min() or max(), hence np.any over the whole array.
    if np.any((ids < 0) | (ids >= vocabulary)):
        raise ValueError(f"ids must lie in [0, {vocabulary}); got values from {ids.min()} to {ids.max()}")
    out = weight[ids]  # fancy indexing copies: (*ids.shape, D)
    return out, (ids, weight.shape)


def embedding_backward(dout, cache):
    """Token embedding lookup, backward pass.

    Row v of weight reaches out at every position where ids == v, so its
    gradient is the sum of dout over those positions:

        dweight[v] = sum of dout[i_1, ..., i_k] over all positions with
                     ids[i_1, ..., i_k] == v

    An id used several times adds up all its gradients (not only one of
    them: with repeated ids, dweight[ids] += dout keeps only one); a row
    that no id picks gets exactly 0. dweight is a new array on every call:
    backward may be called several times with one cache and must give the
    same answer each time.

    Inputs:
    - dout: Upstream derivatives, of shape ids.shape + (D,)
    - cache: Whatever embedding_forward returned

    Returns:
    - dweight: Gradient with respect to weight, of shape (V, D) (the shape
      of weight, not of out). ids get no gradient.

    What is graded: the shape of dweight; its values against the reference
    and against central-difference numerical gradients of your own
    embedding_forward (by the agreement rule of embedding_forward), for ids
    of 1, 2 and 3 dimensions and on the edge cases of embedding_forward that
    return (one id many times, V = 1); a second, independent dout; that
    dout is not modified; that the same inputs give the same outputs, and
    that calling backward twice with one cache gives the same dweight both
    times (every backward returns a fresh array).
    """
    ids, (vocabulary, dim) = cache
    dweight = np.zeros((vocabulary, dim))  # rows no id picks stay exactly 0
    # np.add.at is the unbuffered +=: every occurrence of a repeated id adds its
    # gradient, where dweight[ids] += dout would write each repeated row once.
    np.add.at(dweight, ids.reshape(-1), dout.reshape(-1, dim))
    return dweight
