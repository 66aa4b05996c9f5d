"""The machinery of each transform, and the rule families primitives register with."""
