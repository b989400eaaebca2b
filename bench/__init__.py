"""Benchmarks of minecase against bare Temporal twins (see bench/README.md)."""
