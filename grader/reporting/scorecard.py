"""The scorecard: a rich rendering of a Report, readable at 80 columns.

Built from Text objects, never markup strings: messages hold indices like
dx[0, 1] and the learner's output may hold anything, none of it markup.
"""
from __future__ import annotations

from collections.abc import Iterator

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.panel import Panel
from rich.text import Text

from grader.checks.results import GROUPS, Report

#: Each outcome's label and style.
_OUTCOMES = {"pass": ("PASS", "bold green"), "fail": ("FAIL", "bold red"), "error": ("ERROR", "bold red"),
             "not started": ("TODO", "yellow"), "not run": ("SKIP", "dim")}
_STATUS_STYLE = {"passed": "bold green", "failing": "bold red", "not started": "bold yellow"}


def make_console(file=None) -> Console:
    """A console that is plain text when not writing to a terminal (rich honours NO_COLOR). Without emoji codes:
    nothing here is written as ":name:", and a str would load rich's table of them (~3 ms)."""
    return Console(file=file, highlight=False, soft_wrap=False, emoji=False)


def render(report: Report) -> RenderableType:
    """Everything the learner sees for one grading run, top to bottom."""
    parts: list[RenderableType] = [_learner_output(report)] if report.output_bytes else []
    parts.append(Text.assemble(("Kata ", "bold"), (report.kata, "bold cyan"), "  ", (report.file, "dim"), "\n"))
    if report.problem:
        parts.append(Text.assemble(("Problem: ", "bold red"), report.problem, "\n"))
    parts += [_ChecksTable(report), Text()]
    parts += [Text.assemble(("Diagnosis: ", "bold magenta"), (name, "bold"), f". {explanation}")
              for name, explanation in report.diagnoses]
    parts.append(_score_line(report))
    if report.speed is not None:
        parts.append(_speed_line(report))
    if report.protections_off:
        parts.append(Text(f"Sandbox: {report.protections_off}.", style="dim"))
    return Group(*parts)


def print_scorecard(report: Report, console: Console | None = None) -> None:
    (console or make_console()).print(render(report))


class _ChecksTable:
    """One row per check, grouped: the group (on its first row), the outcome, and the check's name with its
    message under it, which gets the width left and wraps there (folding what has no space to break at).

    Laid out here rather than as a rich Table, which laid out the same lines (compared at widths 28 to 200):
    rich.table costs ~7 ms to import (it loads fractions and decimal) and ~17 ms to lay out tiny_gpt's 32 rows,
    which take ~4.5 ms this way. Below 28 columns a rich Table would narrow the first two columns too; here the
    lines are left longer than the terminal, which wraps them.
    """

    def __init__(self, report: Report):
        self.report = report

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        checks = self.report.checks
        group_width = max((len(check.group) for check in checks), default=0)
        indent = " " * (group_width + _GAP + _LABEL_WIDTH + _GAP)
        width = max(options.max_width - len(indent), _LEAST_WIDTH)  # a terminal too narrow wraps the lines itself
        table = Text(no_wrap=True, overflow="ignore", end="")
        for group in GROUPS:
            for i, check in enumerate(check for check in checks if check.group == group):
                label, style = _OUTCOMES[check.outcome]
                table.append(f"{group if i == 0 else '':{group_width}}", style="bold")
                table.append(" " * _GAP)
                table.append(f"{label:{_LABEL_WIDTH}}", style=style)
                table.append(" " * _GAP)
                for j, line in enumerate(_cell(check).wrap(console, width, overflow="fold")):
                    table.append_text(line if j == 0 else Text(indent) + line)
                    table.append("\n")
        yield table


#: Spaces between the columns.
_GAP = 2
#: The outcome column's width: its longest label ("ERROR").
_LABEL_WIDTH = max(len(label) for label, _ in _OUTCOMES.values())
#: The check's column is never narrower than this, however narrow the terminal.
_LEAST_WIDTH = 10


def _cell(check) -> Text:
    """A check's name, its message under it, and where an image-shaped array is off."""
    cell = Text(check.name, style="" if check.passed else "bold")
    if check.message:
        cell.append("\n" + check.message, style="dim" if check.passed else "")
    if check.error_map:
        cell.append(f"\nwhere {check.map_title}:\n", style="dim")
        cell.append(check.error_map, style="yellow")
    return cell


def _score_line(report: Report) -> Text:
    status = report.status
    line = Text.assemble(("Score ", "bold"), (f"{report.score}/{report.max_score}", "bold"), "  ",
                         (status.upper(), _STATUS_STYLE[status]))
    if status == "not started":
        line.append("  (every function still raises NotImplementedError: edit the stub and run again)")
    return line


def _speed_line(report: Report) -> Text:
    speed = report.speed
    reference_ms = speed.reference_seconds * 1e3
    if speed.ratio is None:
        result = f"reference {reference_ms:.2f} ms, yours {speed.note}"
    else:
        result = (f"yours {speed.learner_seconds * 1e3:.2f} ms, reference {reference_ms:.2f} ms "
                  f"({speed.ratio:.2g}x the reference's time)")
    return Text.assemble(("Speed ", "bold"), "(not scored) ", result, (f"\n  {speed.workload}", "dim"))


def _learner_output(report: Report) -> Panel:
    # report.output is printable already (checks.results): no escape sequence reaches the terminal.
    lines = [_shorten(line, 200) for line in report.output.splitlines()] or [""]
    if len(lines) > 40:
        lines = lines[:30] + [f"[... {len(lines) - 40} more lines ...]"] + lines[-10:]
    body = Text("\n".join(lines), style="dim")
    title = f"printed by your code ({report.output_bytes} bytes; not part of the scorecard)"
    return Panel(body, title=title, title_align="left", box=box.ASCII, border_style="dim")



def _shorten(line: str, limit: int) -> str:
    return line if len(line) <= limit else f"{line[:limit]}[... {len(line) - limit} more characters]"
