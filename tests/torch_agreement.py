"""What the PyTorch cross-checks of the references share: an answer agrees with torch's by the contract's rule.

Both sides compute in float64 by the same formula, so the relative tolerance is far tighter than the
contract's 1e-6; the rule's absolute floor (1e-10 * s) lets an exact 0 computed as rounding noise agree.
"""
import numpy as np

from grader.checks.compare import compare_arrays

#: The relative tolerance: both sides are exact float64 formulas, equal up to rounding.
TOLERANCE = 1e-10


def assert_agrees(name: str, theirs, ours, tolerance: float = TOLERANCE, scale: float = 1.0) -> None:
    """torch's `theirs` (a tensor, or anything array-like) and the reference's `ours` have one shape and agree."""
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    ours = np.asarray(ours)
    assert ours.shape == theirs.shape, f"{name}: shape {ours.shape}, torch's {theirs.shape}"
    mismatch = compare_arrays(name, theirs, ours, scale, tolerance=tolerance)
    assert mismatch is None, mismatch.describe()
