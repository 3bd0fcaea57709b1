"""Instructors' tools: new katas, the catalogue's self-check, grading folders, pytest."""
