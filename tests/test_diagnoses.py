"""Known mistakes are named, and where an image-shaped array is off is drawn as a grid."""
from pathlib import Path

from conftest import LEARNERS, ROOT
from grader.grading.catalogue import kata_names, load_kata
from grader.grading.engine import grade

CONV2D = load_kata("conv2d")


def _diagnosed(path: Path) -> list[str]:
    return [name for name, _ in grade(CONV2D, path).diagnoses]


def test_a_known_mistake_is_named_with_its_fix():
    report = grade(CONV2D, LEARNERS / "conv2d" / "bug_pad_one_side.py")
    assert [name for name, _ in report.diagnoses] == ["padding on one side only"]
    assert "np.pad" in report.diagnoses[0][1]


def test_each_conv2d_mistake_is_told_apart():
    assert _diagnosed(LEARNERS / "conv2d" / "bug_flipped_kernel.py") == ["flipped kernel (true convolution)"]
    assert _diagnosed(LEARNERS / "conv2d" / "bug_db_mean.py") == ["db averaged over the batch"]


def test_no_diagnosis_for_a_different_bug():
    # (A correct answer is never diagnosed: every ok_ variant, in test_learner_variants.py.)
    assert _diagnosed(LEARNERS / "conv2d" / "bug_dw_first_sample.py") == []


def test_every_declared_mistake_has_a_name_and_an_explanation():
    for kata in kata_names():
        for mistake in load_kata(kata).mistakes:
            assert mistake.name and mistake.explanation.endswith("."), (kata, mistake.name)


def test_error_map_shows_only_the_border_wrong(learner_file):
    source = (ROOT / "solutions" / "conv2d.py").read_text() + '''

_reference_backward = conv2d_backward


def conv2d_backward(dout, cache):
    dx, dw, db = _reference_backward(dout, cache)
    dx = dx.copy()
    dx[:, :, 0, :] = 0  # the first row forgotten, as if the padding were cropped one row too far
    return dx, dw, db
'''
    report = grade(CONV2D, learner_file(source))
    row = next(check for check in report.checks if check.name == "gradient dx")
    assert not row.passed and row.map_title.startswith("dx[")
    lines = row.error_map.splitlines()
    assert set(lines[0]) == {"X"} and all(set(line) == {"."} for line in lines[1:])
