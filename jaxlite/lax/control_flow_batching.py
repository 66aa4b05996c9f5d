"""Batching rules of the control-flow primitives (control_flow.py)."""
