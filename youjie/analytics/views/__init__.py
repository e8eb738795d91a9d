"""The analytics pages, one module per subject."""
