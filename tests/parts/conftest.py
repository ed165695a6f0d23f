import pytest
from django.utils import translation

from .factories import make_clerk


@pytest.fixture
def clerk(site):
    return make_clerk(site)


@pytest.fixture
def english():
    """Messages in English: the zh-hans catalogue is filled by the lead later."""
    with translation.override("en"):
        yield
