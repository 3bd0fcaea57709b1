"""Reference solutions, one per kata."""
