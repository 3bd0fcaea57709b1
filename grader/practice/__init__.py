"""The learner's practice loop: progress, hints, the solution, reset, watch, interview."""
