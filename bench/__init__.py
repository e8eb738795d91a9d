"""Benchmarks and data generators (not run by the test suite). See docs/performance.md."""
