"""Realistic learner answers, right and wrong, graded exactly as a learner's file is.

Each file in tests/learners/<kata>/ declares on its first line what the grader
must say about it:
    # expect: pass
    # expect-fail: <check>[; <check> ...]     these checks must fail
    # expect-group-fail: <group>              some check of this group must fail
"""
from pathlib import Path

import pytest

from conftest import LEARNERS
from grader.catalogue import kata_names, load_kata
from grader.engine import grade


def _variants():
    for kata in kata_names():
        for path in sorted((LEARNERS / kata).glob("*.py")):
            yield pytest.param(kata, path, id=f"{kata}/{path.stem}")


def _expectation(path: Path) -> tuple[str, list[str]]:
    first = path.read_text().splitlines()[0]
    tag, _, rest = first.lstrip("# ").partition(":")
    return tag.strip(), [item.strip() for item in rest.split(";") if item.strip()]


@pytest.mark.parametrize("kata, path", list(_variants()))
def test_variant(kata, path):
    tag, items = _expectation(path)
    report = grade(load_kata(kata), path)
    failed = {check.name: check for check in report.checks if not check.passed}
    summary = "\n".join(f"  {name}: {check.message}" for name, check in failed.items())
    if tag == "expect":
        assert items == ["pass"], f"{path.name}: unknown expectation {items}"
        assert report.passed, f"{path.name} is correct but failed:\n{summary}"
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
