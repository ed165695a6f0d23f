"""The workshop's API (DESIGN.md §7): job actions assign, start, pause, finish; the RO action qc."""

from . import api_clocking, api_dispatch, api_qc

urls = [*api_dispatch.urls, *api_clocking.urls, *api_qc.urls]
