import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """The dashboard keeps ended periods' revenue split in the cache, keyed by sites, period and the period's
    invoice count and last id; on SQLite a rolled-back test's ids come back, so each test starts from an empty
    cache."""
    cache.clear()
    yield
    cache.clear()
