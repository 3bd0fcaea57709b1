"""What a grading run looks like: the scorecard, the JSON, Gradescope's results.json."""
