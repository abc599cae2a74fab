"""Benchmarks of the workbook: synthetic workspaces and ``make bench`` (``benchmarks.run``)."""
