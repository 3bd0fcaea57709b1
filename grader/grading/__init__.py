"""Grading a file against a kata (the engine), and finding the katas (the catalogue)."""
