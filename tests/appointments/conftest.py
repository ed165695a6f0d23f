import pytest
import time_machine

from .factories import configure, technicians_on_shift

# Monday 2 March 2026, 09:00 in Shanghai (01:00 UTC): tomorrow is a working Tuesday.
NOW = "2026-03-02T01:00:00+00:00"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def workshop(site, clock):
    """SH01 with two technicians on 8-hour shifts, factor 0.80: 12.80 bookable hours a working day,
    30-minute slots, two arrivals per slot and advisor."""
    configure(site)
    technicians_on_shift(site, 2)
    return site
