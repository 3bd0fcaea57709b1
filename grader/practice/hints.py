"""`python -m grader hint KATA`: the kata's next hint tier, one per run.

Tiers go from a nudge to the approach to the key formula (Kata.hints); the
progress file remembers how many were shown. Past the last tier the last one
is shown again, with a word that there are no more.
"""
from __future__ import annotations

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from grader.practice import progress as practice
from grader.authoring.kata import Kata

#: What each tier is, when a kata has the usual three.
TIER_NAMES = ("nudge", "approach", "key formula")


def show_hint(kata: Kata, console: Console) -> int:
    """Print the next hint tier of `kata` and remember it; exit status 0, or 1 when it has no hints."""
    hints = kata.hints
    if not hints:
        console.print(Text(f"{kata.name} has no hints yet. Its stub's docstrings (katas/{kata.name}.py) "
                           f"are the whole spec; the scorecard (python -m grader {kata.name}) says what "
                           f"is wrong and where."))
        return 1
    shown = practice.load().get(kata.name, practice.KataProgress()).hints_shown
    tier = min(shown, len(hints) - 1)  # 0-based tier to show now
    if shown >= len(hints):
        console.print(Text(f"There are no more hints for {kata.name}: that was the last of {len(hints)}. "
                           "Here it is again.\n"))
    else:
        practice.update(kata.name, lambda entry: setattr(entry, "hints_shown", tier + 1))
    console.print(Text.assemble((f"{kata.name}", "bold cyan"), (f", hint {tier + 1} of {len(hints)}", "bold"),
                                f" ({_tier_name(tier, len(hints))}):"))
    console.print()
    console.print(Padding(Text(hints[tier]), (0, 0, 0, 2), expand=False))
    console.print()
    if tier + 1 < len(hints):
        console.print(Text(f"Still stuck? Run python -m grader hint {kata.name} again for the "
                           f"{_tier_name(tier + 1, len(hints))}.", style="dim"))
    else:
        console.print(Text(f"That is the last hint. The worked answer: python -m grader solution {kata.name}",
                           style="dim"))
    return 0


def _tier_name(tier: int, count: int) -> str:
    return TIER_NAMES[tier] if count == len(TIER_NAMES) else f"hint {tier + 1}"
