"""`python -m grader`: list the katas, or grade one and print its scorecard or JSON.

Exit status (the contract): 0 every check passed, 1 a check failed, 2 usage error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.catalogue import kata_names, learner_file, load_kata
from grader.engine import DEFAULT_TIMEOUT, grade

EXIT_PASSED, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds, not {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m grader",
        description="Grade a deep-learning kata: shapes, values, gradients, edge cases.")
    parser.add_argument("kata", nargs="?", help="the kata to grade (omit to list them)")
    parser.add_argument("--file", type=Path, help="grade this file instead of katas/KATA.py")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the scorecard")
    parser.add_argument("--timeout", type=_positive_seconds, default=None, metavar="S",
                        help=f"time limit for your code, in seconds (default {DEFAULT_TIMEOUT:g}, "
                             "more for the capstones)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # the reader went away (`| head`); nothing left to say
        sys.stderr.close()
        return EXIT_FAILED
    except KeyboardInterrupt:  # Ctrl-C: the learner's process is already stopped (see isolation)
        print("interrupted", file=sys.stderr)
        return EXIT_FAILED


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    names = kata_names()
    if args.kata is None:
        print("Katas:")
        for name in names:
            print(f"  {name:18s} {load_kata(name).title}")
        print("Grade one with: python -m grader KATA   (it grades katas/KATA.py)")
        return EXIT_PASSED
    if args.kata not in names:
        print(f"error: unknown kata {args.kata!r}; the katas are: {', '.join(names)}", file=sys.stderr)
        return EXIT_USAGE
    path = args.file if args.file is not None else learner_file(args.kata)
    if not path.is_file():
        print(f"error: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    report = grade(load_kata(args.kata), path, timeout=args.timeout)
    if args.json:
        from grader.json_report import report_to_json  # noqa: PLC0415

        if report.output_bytes:  # kept off stdout, which holds exactly one JSON object
            from grader.scorecard import printable  # noqa: PLC0415

            print(f"--- printed by your code ({report.output_bytes} bytes) ---\n{printable(report.output)}\n---",
                  file=sys.stderr)
        print(report_to_json(report))
    else:
        from grader.scorecard import print_scorecard  # noqa: PLC0415 -- rich only when rendering

        print_scorecard(report)
    return EXIT_PASSED if report.passed else EXIT_FAILED
