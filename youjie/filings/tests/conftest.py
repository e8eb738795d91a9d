"""Fixtures of the filings tests (youjie/filings/tests/support.py holds the helpers)."""

from youjie.filings.tests.support import frozen

__all__ = ["frozen"]
