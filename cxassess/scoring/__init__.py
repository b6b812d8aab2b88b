"""The one scoring engine: rules 1-11 of the format spec, pure functions, no I/O."""
