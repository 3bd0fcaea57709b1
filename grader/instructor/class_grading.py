"""`python -m grader class DIR`: a class graded in one run, a gradebook out.

DIR holds one folder per student, named after them, with that student's
KATA.py files. Each student is graded by a grader process of their own
(`python -m grader.instructor.class_grading FOLDER ...`), as many at once as
the machine has cores; their code runs in sandboxed processes as in any
grading, so no student's code can reach another's files or grade. A
capstone takes its parts from the student's own folder
(grader.sandbox.child.parts_folder). Every file of a folder is accounted
for: a kata's file is graded, a misnamed one (`Conv2D_v2.py`) or anything
else is reported, never skipped in silence.

The assignment is what the class handed in: every kata some student has a
file for. Out: the gradebook (CSV: a row per student, a column per kata of
the assignment with its score, the total, its maximum and what was wrong
with the folder, the katas it lacks among them), and per student, in a
folder named after the gradebook, a JSON report (grades/alice.json) and
Gradescope's results.json (grades/alice.results.json). The seed, fresh
unless given, is printed and in every report, so that the run can be
repeated exactly.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from grader.grading.catalogue import load_kata, survey
from grader.grading.engine import DEFAULT_TIMEOUT, grade, not_graded
from grader.practice.parts import parts_gate
from grader.reporting.gradescope import reports_to_gradescope
from grader.reporting.json_report import report_to_dict

#: What a student's grader process may take beyond its gradings' own time limits, in seconds.
STUDENT_SLACK = 60.0


def grade_student(folder: Path, assignment: list[str], seed: int, timeout: float | None) -> dict:
    """Every kata of the `assignment` graded from the student's folder: the report's dict per kata ('missing'
    where the student has no file for it)."""
    files, problems = survey(folder)
    katas, reports = {}, {}
    # The capstones last: their parts, graded by then, are not graded again for them (_parts_graded).
    for name in sorted(assignment, key=lambda name: bool(load_kata(name).depends_on)):
        kata = load_kata(name)
        if name not in files:
            katas[name] = _zero(name, missing=True)
            continue
        started = time.perf_counter()
        reports[name] = grade(kata, files[name], timeout=timeout, seed=seed, extras=False,
                              gate=_parts_graded(reports, files) if kata.depends_on else None)
        katas[name] = {**report_to_dict(reports[name]), "problem": reports[name].problem,
                       "seconds": round(time.perf_counter() - started, 3)}  # where a class's time goes
    katas = {name: katas[name] for name in assignment}
    missing = {name: not_graded(load_kata(name), folder / f"{name}.py", f"no such file: {name}.py was not handed in",
                                seed) for name in assignment if name not in reports}
    gradescope = json.loads(reports_to_gradescope([(load_kata(name), reports.get(name) or missing[name])
                                                   for name in assignment]))
    return {"gradescope": gradescope, "student": folder.name, "seed": seed, "total": sum(k["score"] for k in katas.values()),
            "max_total": sum(k["max_score"] for k in katas.values()), "problems": problems, "katas": katas}


def _zero(name: str, missing: bool) -> dict:
    """A kata's entry in a student's results when it was not graded: score 0 of its checks."""
    return {"kata": name, "missing": missing, "score": 0, "max_score": len(load_kata(name).checks)}


def _parts_graded(reports: dict, files: dict[str, Path]):
    """A capstone's gate that takes the verdicts of the parts already graded from the student's own files
    (the capstone imports exactly those: grader.sandbox.child.parts_folder), and grades any other part."""
    grade_rest = parts_gate()

    def gate(kata, imported: dict[str, Path]) -> list[str]:
        done = {part: reports[part] for part in kata.depends_on
                if part in imported and part in reports and imported[part].resolve() == files[part].resolve()}
        unsolved = [f"{part} ({report.score}/{report.max_score})" for part, report in done.items()
                    if not report.passed]
        return unsolved + grade_rest(kata, {part: path for part, path in imported.items() if part not in done})
    return gate


def grade_class(directory: Path, gradebook: Path, seed: int, timeout: float | None, jobs: int,
                console: Console) -> list[dict]:
    """Grade every student's folder of `directory`, `jobs` students at a time; write the gradebook and the
    reports; the students' results, in name order."""
    students = sorted(entry for entry in directory.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    assignment = sorted({kata for student in students for kata in survey(student)[0]})  # what was handed in
    strays = [entry.name for entry in sorted(directory.iterdir())
              if not entry.is_dir() and not entry.name.startswith(".")]
    for stray in strays:
        console.print(f"{directory / stray} is not a student's folder: not graded", style="yellow", soft_wrap=True)
    reports_dir = gradebook.with_suffix("")
    reports_dir.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="grader-class-") as scratch, Progress(
            TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console,
            transient=True) as progress:
        task = progress.add_task("students", total=len(students))
        waiting, running = list(students), {}
        while waiting or running:
            while waiting and len(running) < jobs:
                student = waiting.pop(0)
                out = Path(scratch) / f"{student.name}.json"
                running[student] = (_start_student(student, assignment, seed, timeout, out), out, time.monotonic())
            time.sleep(0.05)
            for student, (process, out, started) in list(running.items()):
                over = time.monotonic() - started > _student_budget(assignment, timeout)
                if process.poll() is None and not over:
                    continue
                if over:
                    process.kill()
                process.wait()
                results[student.name] = _result(student, assignment, out, process, over)
                del running[student]
                progress.advance(task)
    for name, result in results.items():
        gradescope = result.pop("gradescope", None)
        (reports_dir / f"{name}.json").write_text(json.dumps(result, indent=1))
        if gradescope is not None:  # as Gradescope would show it to the student
            (reports_dir / f"{name}.results.json").write_text(json.dumps(gradescope, indent=1))
    ordered = [results[student.name] for student in students]
    write_gradebook(gradebook, ordered, assignment)
    return ordered


def print_summary(results: list[dict], gradebook: Path, console: Console) -> None:
    """A line per student: total, what was wrong with their folder; then where the gradebook is."""
    width = max([len(result["student"]) for result in results] + [7])
    for result in results:
        problems = result["problems"]
        console.print(Text.assemble(f"{result['student']:{width}s}  {result['total']:>4d}/{result['max_total']:<4d}",
                                    (f"  {'; '.join(problems)}" if problems else "", "yellow")))
    console.print(Text.assemble((f"\n{len(results)} students graded", "bold"),
                                f": gradebook {gradebook}, reports in {gradebook.with_suffix('')}/"), soft_wrap=True)


def write_gradebook(path: Path, results: list[dict], assignment: list[str]) -> None:
    """The CSV: student, a score per kata of the assignment, total, max_total, notes (the folder's problems,
    the katas it has no file for)."""
    names = assignment
    with open(path, "w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["student", *names, "total", "max_total", "notes"])
        for result in results:
            katas = result["katas"]
            missing = [name for name in names if katas.get(name, {}).get("missing")]
            notes = result["problems"] + ([f"no file for: {', '.join(missing)}"] if missing else [])
            writer.writerow([result["student"], *(katas.get(name, {}).get("score", 0) for name in names),
                             result["total"], result["max_total"], "; ".join(notes)])


def _start_student(folder: Path, assignment: list[str], seed: int, timeout: float | None,
                   out: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "grader.instructor.class_grading", str(folder), "--katas", ",".join(assignment),
               "--seed", str(seed), "--out", str(out)] + (["--timeout", str(timeout)] if timeout is not None else [])
    return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def _student_budget(assignment: list[str], timeout: float | None) -> float:
    """How long a student's grader process may run: every kata at its time limit, and some slack."""
    per_kata = max([timeout or DEFAULT_TIMEOUT] + [load_kata(name).timeout or 0 for name in assignment])
    return len(assignment) * (per_kata + 5) + STUDENT_SLACK


def _result(folder: Path, assignment: list[str], out: Path, process: subprocess.Popen, over: bool) -> dict:
    """The student's results, or, when their grader process did not finish, a zero that says why."""
    try:
        return json.loads(out.read_text())
    except (OSError, ValueError):
        why = ("their grading ran past its time budget" if over else
               f"their grading ended without a report ({(process.stderr.read() or b'').decode()[-300:]!r})")
        files, problems = survey(folder)
        katas = {name: _zero(name, missing=name not in files) for name in assignment}
        return {"student": folder.name, "seed": None, "total": 0,
                "max_total": sum(k["max_score"] for k in katas.values()), "problems": problems + [why],
                "katas": katas}


def main(argv: list[str] | None = None) -> int:
    """One student's grader process: grade FOLDER, write its results to --out."""
    parser = argparse.ArgumentParser(prog="python -m grader.instructor.class_grading")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--katas", required=True, help="the assignment: katas, comma-separated")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=None)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = grade_student(args.folder, [name for name in args.katas.split(",") if name], args.seed, args.timeout)
    temporary = args.out.with_suffix(".tmp")
    temporary.write_text(json.dumps(result))
    os.replace(temporary, args.out)  # whole or not at all: a half-written report is no report
    return 0


if __name__ == "__main__":
    sys.exit(main())
