"""Generate the benchmark dataset: .venv/bin/python bench/make_dataset.py --scale 1.0 --seed 1 [--reset]

Three sites (BSH, BBJ, BGZ), three years of history; see bench/README.md, section "Dataset"."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.dev")

import django  # noqa: E402

django.setup()

from bench.dataset.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
