"""`python -m grader`: grade a kata, or show where the learner stands, or one of the commands.

    python -m grader                    every kata with its status, and what to try next
    python -m grader KATA [options]     grade katas/KATA.py: scorecard, --json or --format gradescope
    python -m grader COMMAND ...        a command of the table COMMANDS below

Exit status: grading (the contract) 0 every check passed, 1 a check failed,
2 usage error; the commands 0 done, 1 declined or failed, 2 usage error.
Each command's module is imported only when it runs, so grading pays for
none of them; grading the learner's own file records the run in the
progress file (grader.practice.progress).
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import grader
from grader.checks.results import Report
from grader.grading.catalogue import closest_kata, kata_names, learner_file, load_kata, survey
from grader.sandbox.launcher import UnsupportedSystem
from grader.workspace import NoWorkspace, is_checkout
from grader.workspace import root as workspace_root
from grader.grading.engine import DEFAULT_TIMEOUT, INTERRUPTED, Gate, grade, not_graded

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Command(NamedTuple):
    """One command: its help line, what follows its name, its options, and what it does."""

    help: str
    usage: str
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:  # (a NaN fails this too)
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 3600 seconds, not {text}")
    return value


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def _timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=_positive_seconds, default=None, metavar="S",
                        help=f"time limit for your code, in seconds (default {DEFAULT_TIMEOUT:g}, "
                             "more for the capstones)")


def _seed_value(text: str) -> int:
    if not text.isdigit() or int(text) >= 2**63:
        raise argparse.ArgumentTypeError(f"not a whole number from 0 up: {text!r}")
    return int(text)


def _seed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=_seed_value, default=None, metavar="S",
                        help="draw the inputs from seed S (default 0, the practice inputs; with --format "
                             "gradescope, a fresh seed, reported)")


def fresh_seed() -> int:
    """A seed no one could have prepared answers for (never 0, the practice seed)."""
    return int.from_bytes(os.urandom(4), "big") % (2**31 - 1) + 1


def _output_format(args: argparse.Namespace, default: str = "scorecard") -> str:
    """'scorecard' (or `default`), 'json' or 'gradescope', from --format and --json."""
    return args.format or ("json" if args.json else default)


def _run_seed(args: argparse.Namespace, output_format: str) -> int:
    """The inputs' seed: --seed; else a fresh one for Gradescope, which grades a class (a table of the practice
    outputs must not pass there); else 0, practice's, so that a failure repeats run after run."""
    if args.seed is not None:
        return args.seed
    return fresh_seed() if output_format == "gradescope" else 0


def _kata(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kata", help="the kata")


def _loop(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that grade on every save."""
    _timeout(parser)
    _seed(parser)
    # For scripts and tests: stop after so many gradings, or so many seconds.
    parser.add_argument("--max-runs", type=_count, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--stop-after", type=_positive_seconds, default=None, help=argparse.SUPPRESS)


# -- the commands ---------------------------------------------------------------

def _hint(args: argparse.Namespace) -> int:
    from grader.practice.hints import show_hint  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    return show_hint(load_kata(args.kata), make_console())


def _init(args: argparse.Namespace) -> int:
    from grader.practice.init import make_workspace  # noqa: PLC0415
    from grader.practice.stubs import NoPristineStub  # noqa: PLC0415

    try:
        written, kept = make_workspace(args.dir)
    except (NoPristineStub, OSError) as error:
        print(f"error: cannot make a workspace at {args.dir}: {error}", file=sys.stderr)
        return EXIT_FAILED
    where = _shown(args.dir)
    written, kept = ([path for path in paths if path.stem != "__init__"] for paths in (written, kept))
    print(f"{where}: {len(written)} katas written to {_shown(args.dir / 'katas')}"
          + (f", {len(kept)} already there and kept" if kept else "") + ".")
    print(f"Next: cd {where}, open katas/activations.py (the spec is its docstrings), then run "
          f"`python -m grader activations`; `python -m grader` lists every kata and your progress.")
    return EXIT_PASSED


def _solution(args: argparse.Namespace) -> int:
    from grader.practice.reveal import show_solution  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    return show_solution(load_kata(args.kata), make_console(), assume_yes=args.yes)


def _reset(args: argparse.Namespace) -> int:
    from grader.practice import stubs  # noqa: PLC0415

    path = learner_file(args.kata)
    try:
        stub = stubs.pristine_stub(path)
        existed = path.exists()
        backup = stubs.restore_stub(path, stub)
    except (stubs.NoPristineStub, OSError) as error:
        untouched = " Your file is untouched." if isinstance(error, stubs.NoPristineStub) else ""
        print(f"error: cannot reset {args.kata}: {error}{untouched}", file=sys.stderr)
        return EXIT_FAILED
    _record_reset(args.kata, path)
    if backup is not None:
        print(f"Your {_shown(path)} is kept as {_shown(backup)}; {_shown(path)} is the untouched stub again.")
    elif existed:
        print(f"{_shown(path)} is already the untouched stub: nothing to do.")
    else:
        print(f"{_shown(path)} was missing; it is the untouched stub again.")
    return EXIT_PASSED


def _record_reset(kata: str, path: Path) -> None:
    """The file is the stub again: its status is 'not started' (its best score and first pass stay)."""
    from grader.practice import progress  # noqa: PLC0415

    def untouched(entry: progress.KataProgress) -> None:
        entry.status, entry.score, entry.passed_digest = "not started", 0, None

    progress.update(kata, untouched)


def _watch(args: argparse.Namespace) -> int:
    from grader.practice.watch import Limits, watch  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    path = Path(_shown(args.file if args.file is not None else learner_file(args.kata)))  # as typed
    if problem := _not_a_learners_file(path):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    watch(load_kata(args.kata), path, make_console(), timeout=args.timeout,
          on_report=lambda report: _record(args.kata, path, report),  # returns None: keep watching
          limits=Limits(max_runs=args.max_runs, stop_after=args.stop_after), gate=_gate(args.kata, path),
          seed=args.seed or 0)
    return EXIT_PASSED


def _interview(args: argparse.Namespace) -> int:
    from grader.practice.interview import run_interview  # noqa: PLC0415
    from grader.practice.watch import Limits  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    return run_interview(args.kata, make_console(), timeout=args.timeout,
                         limits=Limits(max_runs=args.max_runs, stop_after=args.stop_after), seed=args.seed or 0)


def _needs_checkout(command: str) -> bool:
    """Whether `command` (one that writes or validates the catalogue) can run here: in a checkout of the
    project; if not, say what it needs (a usage error)."""
    if is_checkout():
        return True
    print(f"error: `{command}` works on the catalogue of a checkout of this project (katas/, solutions/ and "
          f"grader/specs/ side by side): git clone the project and run it there; this grader is installed "
          f"from a package, whose catalogue is read-only", file=sys.stderr)
    return False


def _new(args: argparse.Namespace) -> int:
    from grader.instructor.scaffold import scaffold  # noqa: PLC0415

    if not _needs_checkout("new"):
        return EXIT_USAGE
    try:
        files = scaffold(args.name, args.title, reserved=set(COMMANDS))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(f"New kata {args.name}: " + ", ".join(_shown(path) for path in files))
    print("Fill in the docstrings, the reference and the spec (see CONTRIBUTING.md), then: python -m grader check")
    return EXIT_PASSED


def _check(args: argparse.Namespace) -> int:
    from grader.instructor.selfcheck import main as check_catalogue  # noqa: PLC0415

    if not all(_known(kata) for kata in args.katas) or not _needs_checkout("check"):
        return EXIT_USAGE
    return check_catalogue(args.katas)


def _class(args: argparse.Namespace) -> int:
    from grader.instructor.class_grading import grade_class, print_summary  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    if not args.dir.is_dir():
        print(f"error: no such directory: {args.dir}", file=sys.stderr)
        return EXIT_USAGE
    seed = args.seed if args.seed is not None else fresh_seed()
    console = make_console()
    console.print(f"Grading the class in {args.dir} with seed {seed} (repeat this run with --seed {seed})",
                  soft_wrap=True)  # paths whole, not cut at the terminal's width
    results = grade_class(args.dir, args.out, seed, args.timeout, args.jobs or os.cpu_count() or 1, console)
    print_summary(results, args.out, console)
    return EXIT_PASSED


def _all(args: argparse.Namespace) -> int:
    from grader.instructor.grade_all import grade_all, grade_files  # noqa: PLC0415
    from grader.reporting.scorecard import make_console  # noqa: PLC0415

    if args.dir is not None and not args.dir.is_dir():
        print(f"error: no such directory: {args.dir}", file=sys.stderr)
        return EXIT_USAGE
    names = [name.strip() for name in args.katas.split(",") if name.strip()] if args.katas else kata_names()
    if not all(_known(name) for name in names):
        return EXIT_USAGE
    output_format = _output_format(args, default="lines")
    notes = survey(args.dir)[1] if args.dir is not None else []  # misnamed and stray files: said, not skipped
    if output_format == "lines":
        console = make_console()
        for note in notes:
            console.print(note, style="yellow", soft_wrap=True)
        return EXIT_PASSED if grade_all(console, args.dir, _record, args.timeout, _gate, seed=args.seed or 0,
                                        names=names) else EXIT_FAILED
    # For a machine: one JSON object, or Gradescope's results.json over every kata (a missing file scores 0).
    seed = _run_seed(args, output_format)
    graded = grade_files(args.dir, names, args.timeout, _gate, seed)
    if output_format == "gradescope":
        from grader.reporting.gradescope import reports_to_gradescope  # noqa: PLC0415

        print(reports_to_gradescope(graded, notes))
    else:
        from grader.reporting.json_report import reports_to_json  # noqa: PLC0415

        print(reports_to_json([report for _, report in graded], seed, notes))
    return EXIT_PASSED if all(report.passed for _, report in graded) else EXIT_FAILED


#: The commands, by name. grader.instructor.scaffold refuses these names for new katas; `init` is one already
#: (SHARED_NAMES).
COMMANDS: dict[str, Command] = {
    "init": Command("make a practice workspace at DIR: every kata's stub in DIR/katas/ (`init` alone grades the "
                    "init kata)", " DIR",
                    lambda p: p.add_argument("dir", type=Path, help="the workspace's folder (made if missing)"),
                    _init),
    "hint": Command("show the next hint for KATA: a nudge, then the approach, then the key formula", " KATA",
                    _kata, _hint),
    "solution": Command("show the worked answer for KATA (asks first until you have passed it)", " KATA",
                        lambda p: (_kata(p), p.add_argument("--yes", "-y", action="store_true",
                                                            help="show it without asking")), _solution),
    "reset": Command("put the untouched stub back in katas/KATA.py, keeping yours as a backup", " KATA",
                     _kata, _reset),
    "watch": Command("grade KATA again each time you save the file; Ctrl-C to stop", " KATA",
                     lambda p: (_kata(p), p.add_argument("--file", type=Path, help="watch this file instead of "
                                                                                    "katas/KATA.py"), _loop(p)),
                     _watch),
    "interview": Command("solve KATA (or a random one you have not mastered) from a fresh stub, against the clock",
                         " [KATA]", lambda p: (p.add_argument("kata", nargs="?", help="the kata (omit for a random "
                                                              "one you have not mastered)"), _loop(p)),
                         _interview),
    "new": Command("scaffold a new kata NAME: stub, reference and spec, ready to fill in (instructors)", " NAME",
                   lambda p: (p.add_argument("name", help="the new kata's name (lower_case)"),
                              p.add_argument("--title", default="", help="one line for listings")), _new),
    "check": Command("validate the catalogue (or the katas named): references pass, stubs are not started, specs "
                     "complete (instructors)", " [KATA...]",
                     lambda p: p.add_argument("katas", nargs="*", help="the katas to check (default: all)"), _check),
    "class": Command("grade a class: DIR holds a folder per student with their KATA.py files; writes a gradebook "
                     "(CSV) and a JSON report per student (instructors)", " DIR [--out grades.csv]",
                     lambda p: (p.add_argument("dir", type=Path, help="one folder per student, named after them"),
                                p.add_argument("--out", type=Path, default=Path("grades.csv"),
                                               help="the gradebook (default grades.csv); the reports go to a folder "
                                                    "named after it (grades/)"),
                                p.add_argument("--jobs", type=_count, default=None,
                                               help="students graded at once (default: the machine's cores)"),
                                _timeout(p), _seed(p)), _class),
    "all": Command("grade every kata's file in one run (katas/, or --dir DIR), one line each", " [--dir DIR]",
                   lambda p: (p.add_argument("--dir", type=Path, default=None, help="grade DIR/KATA.py for every "
                                             "kata (default: your katas/KATA.py)"),
                              p.add_argument("--katas", default=None, metavar="K1,K2",
                                             help="only these katas (an assignment; default: every kata)"),
                              p.add_argument("--json", action="store_true", help="one JSON object: every report"),
                              p.add_argument("--format", choices=("json", "gradescope"), default=None,
                                             help="json (as --json), or gradescope: one results.json for all"),
                              _timeout(p), _seed(p)),
                   _all),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade a deep-learning kata: shapes, values, gradients, edge cases.",
        epilog="commands:\n" + "\n".join(f"  {name + command.usage:18s} {command.help}"
                                         for name, command in COMMANDS.items()),
        formatter_class=_at_terminal_width(argparse.RawDescriptionHelpFormatter))
    parser.add_argument("--version", action=_PrintVersion, help="show the grader's version and exit")
    parser.add_argument("kata", nargs="?", help="the kata to grade (omit to see every kata and your progress)")
    parser.add_argument("--file", type=Path, help="grade this file instead of katas/KATA.py")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the scorecard")
    parser.add_argument("--format", choices=("scorecard", "json", "gradescope"), default=None,
                        help="scorecard (default), json (as --json), or gradescope (Gradescope's results.json)")
    _timeout(parser)
    _seed(parser)
    return parser


def _at_terminal_width(formatter: type[argparse.HelpFormatter]) -> Callable[[str], argparse.HelpFormatter]:
    """`formatter` as argparse makes it, at the width argparse would find, but without importing shutil for it
    (argparse does, for every parser: ~3 ms of every run, with the bz2 and lzma modules shutil loads)."""
    return lambda prog: formatter(prog, width=_terminal_columns() - 2)  # argparse leaves a margin of 2


def _terminal_columns() -> int:
    """The terminal's width as shutil.get_terminal_size finds it: $COLUMNS, else stdout's terminal's, else 80."""
    with contextlib.suppress(KeyError, ValueError):
        if (columns := int(os.environ["COLUMNS"])) > 0:
            return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):  # no stdout, or not a terminal
        return 80


class _PrintVersion(argparse.Action):
    """--version: looked up only when asked for (importlib.metadata costs ~13 ms, every run would pay it)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=kwargs.get("help"))

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(f"{parser.prog} {_version()}")  # on stdout, as argparse's own version action prints it
        parser.exit()


def _version() -> str:
    """The installed package's version (dl-katas), or what is known of it in a checkout not installed."""
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("dl-katas")
    except PackageNotFoundError:
        return "(a checkout, not installed)"


def main(argv: list[str] | None = None, interrupted: bool = False) -> int:
    """The command line; `interrupted`: a Ctrl-C came while the grader was starting (grader.__main__)."""
    try:
        return _main(sys.argv[1:] if argv is None else list(argv), interrupted)
    except (NoWorkspace, UnsupportedSystem) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader went away (`| head`); nothing left to say
        sys.stderr.close()
        return EXIT_FAILED
    except KeyboardInterrupt:  # Ctrl-C: the learner's process is already stopped (grader.sandbox)
        _report_interrupted(sys.argv[1:] if argv is None else list(argv))
        print("interrupted", file=sys.stderr)
        return EXIT_FAILED


#: Set once a report is being printed: a Ctrl-C after that must not print a second one.
_rendering: list[bool] = []


def _report_interrupted(argv: list[str]) -> None:
    """A Ctrl-C before the engine was grading (it reports one during grading itself): the report asked for
    (--json, --format gradescope) still ends the run, every row 'not run: interrupted'."""
    if _rendering or not argv or _is_command(argv):
        return
    with contextlib.suppress(Exception, SystemExit, KeyboardInterrupt):  # nothing more can be said then
        args = _parser().parse_args(argv)
        output_format = _output_format(args)
        if output_format == "scorecard" or args.kata not in kata_names():
            return
        kata = load_kata(args.kata)
        path = args.file if args.file is not None else learner_file(args.kata)
        _rendering.append(True)
        _renderer(output_format)(not_graded(kata, path, INTERRUPTED, args.seed or 0), kata)


#: Commands that are also a kata's name: the command when its positional argument is given (`init DIR`), the
#: kata alone or with grading options (`init`, `init --file answer.py`: the weight-initialisation kata).
SHARED_NAMES = frozenset({"init"})


def _is_command(argv: list[str]) -> bool:
    """Whether argv names a command rather than a kata to grade (see SHARED_NAMES)."""
    if not argv or argv[0] not in COMMANDS:
        return False
    if argv[0] not in SHARED_NAMES or argv[0] not in kata_names() or {"-h", "--help"} & set(argv[1:]):
        return True
    with contextlib.redirect_stderr(io.StringIO()):  # a malformed option: the grading parser says so below
        try:
            extra = _parser().parse_known_args(argv)[1]
        except SystemExit:
            return False
    return bool(extra)


def _main(argv: list[str], interrupted: bool = False) -> int:
    if _is_command(argv):
        if interrupted:
            raise KeyboardInterrupt
        command = COMMANDS[argv[0]]
        parser = argparse.ArgumentParser(prog=f"python -m grader {argv[0]}", description=command.help + ".",
                                         formatter_class=_at_terminal_width(argparse.HelpFormatter))
        command.options(parser)
        args = parser.parse_args(argv[1:])
        if getattr(args, "kata", None) is not None and not _known(args.kata):
            return EXIT_USAGE
        return command.run(args)
    args = _parser().parse_args(argv)
    if args.kata is None:
        if interrupted:
            raise KeyboardInterrupt
        from grader.practice.overview import print_overview  # noqa: PLC0415 -- rich only when rendering
        from grader.reporting.scorecard import make_console  # noqa: PLC0415

        workspace_root()  # outside a workspace, how to make one (NoWorkspace) rather than a table of nothing
        print_overview(make_console())
        return EXIT_PASSED
    if not _known(args.kata):
        return EXIT_USAGE
    path = args.file if args.file is not None else learner_file(args.kata)
    if (args.format or "") != "gradescope" and (problem := _not_a_learners_file(path)):
        print(f"error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    if interrupted:
        raise KeyboardInterrupt
    return _grade(load_kata(args.kata), path, args)


def _not_a_learners_file(path: Path) -> str:
    """Why `path` cannot be graded ('' when it can): it must be an existing Python file."""
    if path.is_dir():
        return f"{path} is a folder: give the kata's file, e.g. --file {path / 'conv2d.py'}"
    if not path.is_file():
        return f"no such file: {path}"
    if path.suffix != ".py":
        return f"{path} is not a Python file (.py): the grader imports your answer as a module"
    return ""


def _grade(kata, path: Path, args: argparse.Namespace) -> int:
    from grader.reporting.training_bar import training_bar  # noqa: PLC0415 -- draws only on a terminal

    output_format = _output_format(args)
    seed = _run_seed(args, output_format)
    if not path.is_file():  # Gradescope's submission lacks the file: score 0 and why, never an empty result
        report = not_graded(kata, path, f"no such file: {path} (was it submitted under this name?)", seed)
    else:
        try:
            # From the grader's first import: the speed line's budget is a share of the learner's whole wait.
            # The renderer's imports are made as every module the run needs: before any learner code runs.
            report = grade(kata, path, timeout=args.timeout, started=grader.STARTED,
                           gate=_gate(kata.name, path), progress=training_bar, seed=seed,
                           imports=lambda: _renderer(output_format))
        except Exception as error:  # noqa: BLE001 -- a bug of ours still ends with the report asked for
            if output_format == "scorecard":
                raise
            report = not_graded(kata, path, f"the grader could not grade this file ({type(error).__name__}: "
                                             f"{error}); please report it", seed)
        _record(kata.name, path, report)
    _rendering.append(True)  # from here a Ctrl-C must not add a second report
    _renderer(output_format)(report, kata)
    return EXIT_PASSED if report.passed else EXIT_FAILED


def _renderer(output_format: str) -> Callable[[Report, object], None]:
    """What prints a report in `output_format` (its modules imported now; rich only where it renders)."""
    if output_format == "gradescope":
        from grader.reporting.gradescope import report_to_gradescope  # noqa: PLC0415

        return lambda report, kata: print(report_to_gradescope(report, kata))
    if output_format == "json":
        from grader.reporting.json_report import report_to_json  # noqa: PLC0415

        def to_json(report: Report, kata) -> None:
            if report.output_bytes:  # kept off stdout, which holds exactly one JSON object
                print(f"--- printed by your code ({report.output_bytes} bytes) ---\n{report.output}\n---",
                      file=sys.stderr)
            print(report_to_json(report))
        return to_json
    from grader.reporting.scorecard import print_scorecard  # noqa: PLC0415 -- rich only when rendering

    return lambda report, kata: print_scorecard(report)


def _known(kata: str) -> bool:
    """Whether `kata` exists; if not, say so with the likeliest meant and the list of katas (a usage error)."""
    names = kata_names()
    if kata in names:
        return True
    guess = closest_kata(kata)
    meant = f" (did you mean {guess}?)" if guess else ""
    print(f"error: unknown kata {kata!r}{meant}; the katas are: {', '.join(names)}", file=sys.stderr)
    return False


def _own(kata: str, path: Path) -> bool:
    """Whether `path` is the learner's own katas/KATA.py: the progress file keeps only its runs."""
    try:
        return path.resolve() == learner_file(kata).resolve()
    except (OSError, NoWorkspace):
        return False


def _record(kata: str, path: Path, report: Report) -> None:
    """Keep a grading run of the learner's own katas/KATA.py in the progress file (not one Ctrl-C stopped)."""
    if _own(kata, path) and report.problem != INTERRUPTED:
        from grader.practice import progress  # noqa: PLC0415
        from grader.practice.parts import part_digest  # noqa: PLC0415
        from grader.practice.stubs import is_stub  # noqa: PLC0415

        digest = part_digest(kata, path) if report.passed else None
        status = report.status
        with contextlib.suppress(OSError):  # a capstone held back by its parts is still untouched, not failing
            if status == "failing" and is_stub(path.read_bytes()):
                status = "not started"
        progress.record_grade(kata, status, report.score, report.max_score, passed_digest=digest)


def _gate(kata: str, path: Path) -> Gate | None:
    """For a capstone, the gate that grades its parts first, remembering those of the learner's own file
    that passed (grader.practice.parts); None for the other katas."""
    if not load_kata(kata).depends_on:
        return None
    from grader.practice.parts import PassedParts, parts_gate  # noqa: PLC0415

    return parts_gate(PassedParts() if _own(kata, path) else None)


def _shown(path: Path) -> str:
    """`path` relative to the current directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
