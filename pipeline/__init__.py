"""Verify podcast chapter times against what is actually said, and write them everywhere players look."""

__version__ = "0.1.0"
