"""How a kata is declared: Kata, Check, KnownMistake, and the templates."""
