"""What a check works with: the session, the agreement rule, gradients, mistakes, speed."""
