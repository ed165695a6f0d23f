"""Django set-up, timing and the measure record shared by the suite's modules."""

import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results"


def setup_django() -> None:
    """Dev settings with DEBUG off (cached templates, no query log), as production renders."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicedesk.settings.dev")
    os.environ.setdefault("DEBUG", "False")
    import django

    django.setup()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94] if len(values) > 1 else values[0]


@dataclass
class Measure:
    """One row of the results: `runs` holds each run's figure (a p95, a median, a ratio...)."""

    group: str
    name: str
    unit: str
    runs: list[float]
    budget: float | None = None
    # "max": the figure must stay at or below the budget; "min": at or above it
    direction: str = "max"
    queries: int | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def met(self) -> bool | None:
        if self.budget is None:
            return None
        return self.median <= self.budget if self.direction == "max" else self.median >= self.budget

    def as_dict(self) -> dict:
        return {**asdict(self), "median": self.median, "min": min(self.runs), "max": max(self.runs),
                "met": self.met}


def timed_ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def say(text: str) -> None:
    print(text, flush=True)
