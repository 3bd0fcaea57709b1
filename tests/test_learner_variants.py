"""Realistic learner answers, right and wrong, graded exactly as a learner's file is.

Each file in tests/learners/<kata>/ declares on its first line what the grader
must say about it:
    # expect: pass
    # expect-fail: <check>[; <check> ...]     these checks must fail
    # expect-group-fail: <group>              some check of this group must fail
and, on its second line, optionally, the known mistake the scorecard must name:
    # diagnosis: <known mistake>
(a variant without that line must not be diagnosed as anything that is not
its own mistake: a correct answer never gets a diagnosis).
"""
from pathlib import Path

import pytest

from conftest import LEARNERS, ROOT
from grader.grading.catalogue import kata_names, load_kata
from grader.grading.engine import grade
from grader.instructor.variants import graded_path

#: Every verdict here holds in both start modes of the learner's processes (fork and spawn).
pytestmark = pytest.mark.usefixtures("start_mode")


def _variants():
    for kata in kata_names():
        for path in sorted((LEARNERS / kata).glob("*.py")):
            yield pytest.param(kata, path, id=f"{kata}/{path.stem}")


def _expectation(path: Path) -> tuple[str, list[str]]:
    first = path.read_text().splitlines()[0]
    tag, _, rest = first.lstrip("# ").partition(":")
    return tag.strip(), [item.strip() for item in rest.split(";") if item.strip()]


def _diagnosis(path: Path) -> str | None:
    lines = path.read_text().splitlines()
    if len(lines) > 1 and lines[1].startswith("# diagnosis:"):
        return lines[1].partition(":")[2].strip()
    return None


@pytest.mark.parametrize("kata, path", list(_variants()))
def test_variant(kata, path):
    check_variant(kata, path)


def check_variant(kata: str, path: Path, seed: int = 0) -> None:
    """Grade the variant at `path` with inputs drawn from `seed`; assert what its first lines declare."""
    tag, items = _expectation(path)
    with graded_path(load_kata(kata), path, ROOT / "solutions") as graded:  # a capstone's: in a solved checkout
        report = grade(load_kata(kata), graded, seed=seed)
    failed = {check.name: check for check in report.checks if not check.passed}
    summary = "\n".join(f"  {name}: {check.message}" for name, check in failed.items())
    diagnosed = [name for name, _ in report.diagnoses]
    expected_diagnosis = _diagnosis(path)
    if expected_diagnosis:
        assert diagnosed == [expected_diagnosis], f"{path.name}: diagnosed {diagnosed}"
    if tag == "expect":
        assert items == ["pass"], f"{path.name}: unknown expectation {items}"
        assert report.passed, f"{path.name} is correct but failed:\n{summary}"
        assert not diagnosed
    elif tag == "expect-fail":
        names = {check.name for check in report.checks}
        assert set(items) <= names, f"{path.name} names unknown checks {set(items) - names}"
        missed = [item for item in items if item not in failed]
        assert not missed, f"{path.name} should fail {missed}; it failed:\n{summary}"
        for name in items:  # a wrong answer fails on its merits, not as 'not started'
            assert failed[name].outcome in ("fail", "error"), f"{name}: {failed[name].outcome}"
    elif tag == "expect-group-fail":
        assert any(check.group == items[0] for check in failed.values()), \
            f"{path.name} should fail a {items[0]} check; it failed:\n{summary}"
    else:
        pytest.fail(f"{path.name}: first line must declare an expectation, not {tag!r}")


@pytest.mark.parametrize("kata", kata_names())
def test_every_known_mistake_is_caught_by_a_variant(kata):
    """A declared mistake is really recognised: some variant of this kata expects it by name."""
    expected = {_diagnosis(path) for path in (LEARNERS / kata).glob("bug_*.py")}
    missing = [mistake.name for mistake in load_kata(kata).mistakes if mistake.name not in expected]
    assert not missing, f"{kata}: no variant in tests/learners/{kata}/ declares '# diagnosis: ' for {missing}"
