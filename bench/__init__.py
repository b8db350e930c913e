"""Decade-scale benchmarks: a synthetic regional database (make_data) and the figures (run)."""
