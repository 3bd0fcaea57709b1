"""Grader code that runs inside the learner's process (timing, training loops)."""
