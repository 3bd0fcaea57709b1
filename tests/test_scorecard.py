"""The scorecard is a rendering of plain result objects; check it as text, as rich's own tests do."""
import io
import re

from rich.console import Console

from grader.checks.results import CheckResult, Report, Speed
from grader.reporting.scorecard import render
from grader.sandbox.confine import can_confine, protections_off


def _render(report: Report) -> str:
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(render(report))
    return console.file.getvalue()


REPORT = Report(
    kata="conv2d", file="katas/conv2d.py",
    checks=(
        CheckResult("gradient dx", "gradient", "fail", "stride 2, pad 1: dx[0, 1, 2, 3] expected 0.5, got 0"),
        CheckResult("forward output shape", "shape", "pass"),
        CheckResult("deterministic", "behaviour", "not run", "not run: timed out"),
        CheckResult("forward values", "value", "error", "conv2d_forward raised [bold]ValueError[/bold]"),
    ),
    output="hello from the learner\n\x1b[31mred\x1b[0m",
    output_bytes=40,
    speed=Speed("conv2d_forward + conv2d_backward", 0.004, 0.001),
)


def test_rows_are_grouped_in_contract_order_with_labels():
    text = _render(REPORT)
    order = [text.index(name) for name in ("forward output shape", "forward values", "gradient dx", "deterministic")]
    assert order == sorted(order)
    for label, name in [("PASS", "forward output shape"), ("ERROR", "forward values"),
                        ("FAIL", "gradient dx"), ("SKIP", "deterministic")]:
        assert re.search(rf"{label} +{name}", text), (label, name)


def test_messages_are_text_not_markup():
    text = _render(REPORT)
    assert "dx[0, 1, 2, 3] expected 0.5, got 0" in text
    assert "[bold]ValueError[/bold]" in text


def test_score_speed_and_learner_output_are_apart_from_the_rows():
    text = _render(REPORT)
    assert "Score 1/4  FAILING" in text
    assert "yours 4.00 ms, reference 1.00 ms (4x the reference's time)" in text
    assert "printed by your code" in text and "hello from the learner" in text
    assert "\x1b" not in text  # the learner's escape codes are stripped
    assert text.index("hello from the learner") < text.index("Score")


def test_fits_80_columns():
    assert max(len(line) for line in _render(REPORT).splitlines()) <= 80


def test_a_checks_message_wraps_under_its_name_and_a_group_is_named_on_its_first_row():
    long = "dx[0, 1, 2, 3] expected 0.5, got 0; " * 6 + "x" * 70  # words, then one too long to break at a space
    report = Report(kata="conv2d", file="katas/conv2d.py", checks=(
        CheckResult("gradient dx", "gradient", "fail", long), CheckResult("gradient dw", "gradient", "pass"),
        CheckResult("forward output shape", "shape", "pass")))
    for width in (50, 80, 120):
        console = Console(file=io.StringIO(), width=width, color_system=None)
        console.print(render(report))
        lines = [line.rstrip() for line in console.file.getvalue().splitlines()]
        assert max(map(len, lines)) <= width
        # The columns: the widest group shown ("gradient"), the outcome (5), each followed by 2 spaces.
        first = lines.index("shape     PASS   forward output shape")
        assert lines[first + 1] == "gradient  FAIL   gradient dx"
        message = lines[first + 2:lines.index(" " * 10 + "PASS   gradient dw")]
        assert len(message) > 1 and all(line[:17] == " " * 17 and line[17] != " " for line in message)
        assert "".join(line[17:] for line in message).replace(" ", "") == long.replace(" ", "")


def test_the_scorecard_says_when_the_sandbox_protections_are_off(monkeypatch):
    def report(confined: bool) -> Report:
        return Report("conv2d", "x.py", (CheckResult("forward output shape", "shape", "pass"),),
                      protections_off=protections_off(confined))

    assert "Sandbox" not in _render(report(confined=True))  # Gradescope, CI: confined, nothing to say
    monkeypatch.setattr("os.geteuid", lambda: 1000)  # a learner's laptop
    assert "Sandbox: protections off (not root)" in _render(report(confined=False))
    monkeypatch.setattr("os.geteuid", lambda: 0)  # root in a container that withholds chroot or setuid
    assert "Sandbox: protections off (chroot or setuid refused here)" in _render(report(confined=False))


def test_a_container_that_refuses_chroot_is_not_taken_for_a_confining_one(monkeypatch):
    def refused(*args):
        raise PermissionError("Operation not permitted")

    monkeypatch.setattr("os.chroot", refused)
    can_confine.cache_clear()
    try:
        assert not can_confine()
    finally:
        can_confine.cache_clear()
