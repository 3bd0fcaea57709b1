"""`python -m grader`: grade a kata, or show where the learner stands, or one of the practice commands.

    python -m grader                    every kata with its status, and what to try next
    python -m grader KATA [options]     grade katas/KATA.py: scorecard or --json
    python -m grader hint KATA          the next hint tier
    python -m grader solution KATA      the worked answer (asks first until the kata passes)
    python -m grader reset KATA         back to the pristine stub, the learner's file kept as a backup
    python -m grader watch KATA         grade again on every save
    python -m grader interview [KATA]   a kata from a fresh stub, against the clock
    python -m grader new NAME           scaffold a new kata (instructors)
    python -m grader check              validate the whole catalogue (instructors)
    python -m grader all [--dir DIR]    grade every kata's file in one run, one line each

Exit status: grading (the contract) 0 every check passed, 1 a check failed,
2 usage error; the commands 0 done, 1 declined or failed, 2 usage error.
Each command's module is imported only when it runs, so grading pays for
none of them; grading the learner's own file records the run in the
progress file (grader.practice.progress).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import grader
from grader.grading.catalogue import kata_names, learner_file, load_kata
from grader.grading.engine import DEFAULT_TIMEOUT, grade
from grader.checks.results import Report

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: The practice commands. None may be a kata's name: grader.instructor.scaffold refuses these for new katas.
COMMANDS = {
    "hint": "show the next hint for KATA: a nudge, then the approach, then the key formula",
    "solution": "show the worked answer for KATA (asks first until you have passed it)",
    "reset": "put the untouched stub back in katas/KATA.py, keeping yours as a backup",
    "watch": "grade KATA again each time you save the file; Ctrl-C to stop",
    "interview": "solve KATA (or a random one you have not mastered) from a fresh stub, against the clock",
    "new": "scaffold a new kata NAME: stub, reference and spec, ready to fill in (instructors)",
    "check": "validate the catalogue: references pass, stubs are not started, specs complete (instructors)",
    "all": "grade every kata's file in one run (katas/, or --dir DIR), one line each",
}


_COMMAND_ARGUMENT = {"interview": " [KATA]", "new": " NAME", "check": "", "all": " [--dir DIR]"}


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds, not {text}")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade a deep-learning kata: shapes, values, gradients, edge cases.",
        epilog="commands:\n" + "\n".join(f"  {name + _COMMAND_ARGUMENT.get(name, ' KATA'):18s} {text}"
                                         for name, text in COMMANDS.items()),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kata", nargs="?", help="the kata to grade (omit to see every kata and your progress)")
    parser.add_argument("--file", type=Path, help="grade this file instead of katas/KATA.py")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the scorecard")
    parser.add_argument("--format", choices=("scorecard", "json", "gradescope"), default=None,
                        help="scorecard (default), json (as --json), or gradescope (Gradescope's results.json)")
    _add_timeout(parser)
    return parser


def _add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=_positive_seconds, default=None, metavar="S",
                        help=f"time limit for your code, in seconds (default {DEFAULT_TIMEOUT:g}, "
                             "more for the capstones)")


def _command_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m grader {command}", description=COMMANDS[command] + ".")
    if command == "new":
        parser.add_argument("name", help="the new kata's name (lower_case)")
        parser.add_argument("--title", default="", help="one line for listings")
        return parser
    if command == "check":
        return parser
    if command == "all":
        parser.add_argument("--dir", type=Path, default=None,
                            help="grade DIR/KATA.py for every kata (default: your katas/KATA.py)")
        _add_timeout(parser)
        return parser
    if command == "interview":
        parser.add_argument("kata", nargs="?", help="the kata (omit for a random one you have not mastered)")
    else:
        parser.add_argument("kata", help="the kata")
    if command == "solution":
        parser.add_argument("--yes", "-y", action="store_true", help="show it without asking")
    if command == "watch":
        parser.add_argument("--file", type=Path, help="watch this file instead of katas/KATA.py")
    if command in ("watch", "interview"):
        _add_timeout(parser)
        # For scripts and tests: stop after so many gradings, or so many seconds.
        parser.add_argument("--max-runs", type=_count, default=None, help=argparse.SUPPRESS)
        parser.add_argument("--stop-after", type=_positive_seconds, default=None, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(sys.argv[1:] if argv is None else list(argv))
    except BrokenPipeError:  # the reader went away (`| head`); nothing left to say
        sys.stderr.close()
        return EXIT_FAILED
    except KeyboardInterrupt:  # Ctrl-C: the learner's process is already stopped (see isolation)
        print("interrupted", file=sys.stderr)
        return EXIT_FAILED


def _main(argv: list[str]) -> int:
    if argv and argv[0] in COMMANDS:
        return _run_command(argv[0], _command_parser(argv[0]).parse_args(argv[1:]))
    args = _parser().parse_args(argv)
    if args.kata is None:
        from grader.practice.overview import print_overview  # noqa: PLC0415 -- rich only when rendering
        from grader.reporting.scorecard import make_console  # noqa: PLC0415

        print_overview(make_console())
        return EXIT_PASSED
    if not _known(args.kata):
        return EXIT_USAGE
    path = args.file if args.file is not None else learner_file(args.kata)
    if not path.is_file():
        print(f"error: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    kata = load_kata(args.kata)
    output_format = args.format or ("json" if args.json else "scorecard")
    # From the grader's first import: the speed line's budget is a share of the learner's whole wait.
    report = grade(kata, path, timeout=args.timeout, started=grader.STARTED, parts=_parts(args.kata, path))
    _record(args.kata, path, report)
    if output_format == "gradescope":
        from grader.reporting.gradescope import report_to_gradescope  # noqa: PLC0415

        print(report_to_gradescope(report, kata))
    elif output_format == "json":
        from grader.reporting.json_report import report_to_json  # noqa: PLC0415

        if report.output_bytes:  # kept off stdout, which holds exactly one JSON object
            from grader.reporting.scorecard import printable  # noqa: PLC0415

            print(f"--- printed by your code ({report.output_bytes} bytes) ---\n{printable(report.output)}\n---",
                  file=sys.stderr)
        print(report_to_json(report))
    else:
        from grader.reporting.scorecard import print_scorecard  # noqa: PLC0415 -- rich only when rendering

        print_scorecard(report)
    return EXIT_PASSED if report.passed else EXIT_FAILED


def _known(kata: str) -> bool:
    """Whether `kata` exists; if not, say so with the list of katas (a usage error)."""
    names = kata_names()
    if kata in names:
        return True
    print(f"error: unknown kata {kata!r}; the katas are: {', '.join(names)}", file=sys.stderr)
    return False


def _own(kata: str, path: Path) -> bool:
    """Whether `path` is the learner's own katas/KATA.py: the progress file keeps only its runs."""
    try:
        return path.resolve() == learner_file(kata).resolve()
    except OSError:
        return False


def _record(kata: str, path: Path, report: Report) -> None:
    """Keep a grading run of the learner's own katas/KATA.py in the progress file."""
    if _own(kata, path):
        from grader.practice import progress as practice  # noqa: PLC0415
        from grader.practice.parts import part_digest  # noqa: PLC0415

        digest = part_digest(kata, path) if report.passed else None
        practice.record_grade(kata, report.status, report.score, report.max_score, passed_digest=digest)


def _parts(kata: str, path: Path):
    """For the learner's own file, the verdicts kept on the parts a capstone imports; else None (grade them all)."""
    if not _own(kata, path):
        return None
    from grader.practice.parts import PassedParts  # noqa: PLC0415

    return PassedParts()


def _run_command(command: str, args: argparse.Namespace) -> int:
    if command == "new":
        return _new(args.name, args.title)
    if command == "check":
        from grader.instructor.selfcheck import main as check_catalogue  # noqa: PLC0415

        return check_catalogue()
    if command == "all":
        return _grade_all(args.dir, args.timeout)
    if args.kata is not None and not _known(args.kata):
        return EXIT_USAGE
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    console = make_console()
    if command == "hint":
        from grader.practice.hints import show_hint  # noqa: PLC0415

        return show_hint(load_kata(args.kata), console)
    if command == "solution":
        from grader.practice.reveal import show_solution  # noqa: PLC0415

        return show_solution(load_kata(args.kata), console, assume_yes=args.yes)
    if command == "reset":
        return _reset(args.kata)
    from grader.practice.watch import Limits  # noqa: PLC0415

    limits = Limits(max_runs=args.max_runs, stop_after=args.stop_after)
    if command == "interview":
        from grader.practice.interview import run_interview  # noqa: PLC0415

        return run_interview(args.kata, console, timeout=args.timeout, limits=limits)
    return _watch(args.kata, args.file, console, args.timeout, limits)


def _grade_all(directory: Path | None, timeout: float | None) -> int:
    from grader.instructor.grade_all import grade_all  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    if directory is not None and not directory.is_dir():
        print(f"error: no such directory: {directory}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_PASSED if grade_all(make_console(), directory, _record, timeout, _parts) else EXIT_FAILED


def _watch(kata: str, file: Path | None, console, timeout: float | None, limits) -> int:
    from grader.practice.watch import watch  # noqa: PLC0415

    path = Path(_shown(file if file is not None else learner_file(kata)))  # katas/KATA.py, as typed
    if not path.is_file():
        print(f"error: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE

    def record(report: Report) -> bool:
        _record(kata, path, report)
        return False  # keep watching

    watch(load_kata(kata), path, console, timeout=timeout, on_report=record, limits=limits, parts=_parts(kata, path))
    return EXIT_PASSED


def _new(name: str, title: str) -> int:
    from grader.instructor.scaffold import scaffold  # noqa: PLC0415

    try:
        files = scaffold(name, title)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"New kata {name}: " + ", ".join(_shown(path) for path in files))
    print("Fill in the docstrings, the reference and the spec (see CONTRIBUTING.md), then: python -m grader check")
    return EXIT_PASSED


def _reset(kata: str) -> int:
    from grader.practice import stubs  # noqa: PLC0415

    path = learner_file(kata)
    try:
        stub = stubs.pristine_stub(path)
        existed = path.exists()
        backup = stubs.restore_stub(path, stub)
    except stubs.NoPristineStub as error:
        print(f"error: cannot reset {kata}: {error} Your file is untouched.", file=sys.stderr)
        return EXIT_FAILED
    except OSError as error:
        print(f"error: cannot reset {kata}: {error}", file=sys.stderr)
        return EXIT_FAILED
    if backup is not None:
        print(f"Your {_shown(path)} is kept as {_shown(backup)}; {_shown(path)} is the untouched stub again.")
    elif existed:
        print(f"{_shown(path)} is already the untouched stub: nothing to do.")
    else:
        print(f"{_shown(path)} was missing; it is the untouched stub again.")
    return EXIT_PASSED


def _shown(path: Path) -> str:
    """`path` relative to the current directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
