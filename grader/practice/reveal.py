"""`python -m grader solution KATA`: the worked answer, solutions/<kata>.py.

Shown straight away once the learner has passed the kata (the progress file
says so); before that only after a "y" typed at the terminal, or with
`--yes`. Without a terminal to ask on (stdin redirected, closed, at EOF) it
declines rather than guess.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from rich.console import Console
from rich.syntax import Syntax
from rich.text import Text

from grader.practice import progress as practice
from grader.authoring.kata import Kata


def show_solution(kata: Kata, console: Console, assume_yes: bool = False) -> int:
    """Print the reference with syntax highlighting; exit status 0 shown, 1 declined or missing."""
    path = reference_file(kata)
    if path is None:
        print(f"error: the worked answer of {kata.name} ({kata.reference_module}) is not installed here",
              file=sys.stderr)
        return 1
    if not assume_yes and not practice.load().get(kata.name, practice.KataProgress()).ever_passed:
        answer = _ask(f"You have not passed {kata.name} yet, and the worked answer gives it away. "
                      f"Show {path.name} from solutions/ anyway? [y/N] ")
        if answer is None:
            print(f"You have not passed {kata.name} yet, and there is no terminal to ask on whether to show "
                  f"the worked answer anyway: not shown. Add --yes to show it.", file=sys.stderr)
            return 1
        if not answer:
            print(f"Not shown. A hint may be enough: python -m grader hint {kata.name}", file=sys.stderr)
            return 1
    if console.is_terminal:
        console.print(Text(f"The worked answer: {path}\n", style="bold"))
    print_source(console, path.read_text(encoding="utf-8"), line_numbers=True)
    return 0


def print_source(console: Console, source: str, line_numbers: bool = False) -> None:
    """Python source, highlighted on a terminal; elsewhere exactly as it is, ready to save or diff."""
    if console.is_terminal:
        console.print(Syntax(source, "python", line_numbers=line_numbers, word_wrap=True))
    else:
        console.file.write(source if source.endswith("\n") else source + "\n")
        console.file.flush()


def reference_file(kata: Kata) -> Path | None:
    """The reference's source file (solutions/<kata>.py), found without importing it."""
    try:
        spec = importlib.util.find_spec(kata.reference_module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not Path(spec.origin).is_file():
        return None
    return Path(spec.origin)


def _ask(question: str) -> bool | None:
    """y/N at the terminal: True for yes, False for anything else or EOF, None when stdin is not a terminal."""
    stdin = sys.stdin
    if stdin is None or stdin.closed or not stdin.isatty():
        return None
    print(question, end="", file=sys.stderr, flush=True)
    answer = stdin.readline()
    if not answer:  # EOF (Ctrl-D)
        print(file=sys.stderr)
        return False
    return answer.strip().lower() in ("y", "yes")
