"""Writing results: files written atomically, and the result formats."""
