"""The benchmark suite of issue 10: `make bench` (or `.venv/bin/python -m bench.suite`); bench/README.md "Suite"."""
