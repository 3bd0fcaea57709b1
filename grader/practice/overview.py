"""`python -m grader` with no kata: every kata, where the learner stands on it, and what to try next.

Built from the progress file (grader.practice.progress), which grading runs keep up
to date; nothing is graded here.
"""
from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from grader.practice import progress as practice
from grader.grading.catalogue import kata_names, load_kata
from grader.authoring.kata import Kata

_STATUS_STYLE = {"passed": "green", "failing": "red", "not started": "yellow"}


def print_overview(console: Console) -> None:
    """The status table, the next thing to try, and the commands."""
    progress = practice.load()
    katas = [load_kata(name) for name in kata_names()]
    entries = {kata.name: progress.get(kata.name, practice.KataProgress()) for kata in katas}
    passed = sum(entry.status == "passed" for entry in entries.values())
    mastered = sum(entry.mastered for entry in entries.values())
    console.print(Text.assemble(("Katas", "bold"), f"  {passed}/{len(katas)} passed, {mastered} mastered in "
                                "interview mode\n"))
    console.print(status_table(katas, entries, console.width))
    console.print(suggest_next(katas, entries))
    console.print(Text(
        "\npython -m grader KATA            grade katas/KATA.py\n"
        "python -m grader watch KATA      grade again on every save\n"
        "python -m grader hint KATA       the next hint (nudge, approach, key formula)\n"
        "python -m grader solution KATA   the worked answer\n"
        "python -m grader reset KATA      back to the stub, yours kept as a backup\n"
        "python -m grader interview       a kata from scratch, against the clock\n"
        f"Your progress is kept in {practice.progress_path()}.", style="dim"))


def status_table(katas: list[Kata], entries: dict[str, practice.KataProgress], width: int = 80) -> Table:
    """One row per kata: name, status of the last grading run, best interview time, title. Every column but
    the title is as wide as its widest cell; the title gets what is left of `width`, cut with an ellipsis."""
    rows = [[Text(kata.name), _status_cell(entries[kata.name]), _interview_cell(entries[kata.name])]
            for kata in katas]
    headers = ("kata", "your file", "interview")  # the file's last grading; the interview mode's best time
    widths = [max([len(header)] + [row[i].cell_len for row in rows]) for i, header in enumerate(headers)]
    title_width = max(width - sum(widths) - 3 * len(widths) - 2, 10)  # 3: padding and gap per column
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False)
    for header, column_width in zip(headers, widths):
        table.add_column(header, no_wrap=True, min_width=column_width, style="bold cyan" if header == "kata" else "",
                         justify="right" if header == "interview" else "left")
    table.add_column("what you write", no_wrap=True, style="dim")
    for row, kata in zip(rows, katas):
        title = Text(kata.title)
        title.truncate(title_width, overflow="ellipsis")
        table.add_row(*row, title)
    return table


def suggest_next(katas: list[Kata], entries: dict[str, practice.KataProgress]) -> Text:
    """One sentence: the kata to work on next, and the command for it."""
    failing = sorted((kata for kata in katas if entries[kata.name].status == "failing"),
                     key=lambda kata: entries[kata.name].last_graded or "", reverse=True)
    if failing:
        name, entry = failing[0].name, entries[failing[0].name]
        return _next(f"keep at {name} ({entry.score}/{entry.max_score}): python -m grader {name}\n"
                     f"      stuck? python -m grader hint {name}")
    unsolved = [kata for kata in katas if entries[kata.name].status != "passed"]
    ready = [kata for kata in unsolved
             if all(entries.get(dep, practice.KataProgress()).status == "passed" for dep in kata.depends_on)]
    if unsolved:
        name = (ready or unsolved)[0].name
        return _next(f"start {name}: edit katas/{name}.py, then python -m grader {name}")
    if not all(entry.mastered for entry in entries.values()):
        return _next("every kata passes: solve one from a blank page against the clock: "
                     "python -m grader interview")
    slowest = max(katas, key=lambda kata: entries[kata.name].interview_best_seconds or 0.0).name
    return _next(f"everything is mastered: beat your slowest time, on {slowest}: "
                 f"python -m grader interview {slowest}")


def _status_cell(entry: practice.KataProgress) -> Text:
    score = f" {entry.score}/{entry.max_score}" if entry.status == "failing" else ""
    return Text(entry.status + score, style=_STATUS_STYLE.get(entry.status, ""))


def _interview_cell(entry: practice.KataProgress) -> Text:
    best = entry.interview_best_seconds
    return Text("-", style="dim") if best is None else Text(practice.format_duration(best))


def _next(sentence: str) -> Text:
    return Text.assemble(("\nNext: ", "bold"), sentence)
