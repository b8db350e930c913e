"""Qadam's outputs: monthly figures, Excel, PDF and the regional package. Knows nothing of Qt."""
