"""The learner's process: started, talked to and stopped here; the lowest layer."""
