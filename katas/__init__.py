"""Kata stubs: the files learners edit."""
