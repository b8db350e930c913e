"""Qadam's core: tables, rules and operations. Knows nothing of Qt."""

__version__ = "0.1.0"
