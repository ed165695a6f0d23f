"""The load benchmark of issue 11 (bench/README.md "Load"): 50 of the dataset's staff working at once against
gunicorn + PostgreSQL + Redis, driven by locust (`python -m bench.load`, `make bench-load`)."""
