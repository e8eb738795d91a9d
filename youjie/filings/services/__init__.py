"""Writes of the filings app, by subject (the modules of this package)."""
