"""Rendering in the site's time zone: dates and times on these pages are the site's wall clock,
whatever the server's zone."""

from django.shortcuts import render
from django.utils import timezone

from ..capacity import site_zone


def render_site(request, site, template: str, context: dict, *, status: int | None = None):
    with timezone.override(site_zone(site)):
        return render(request, template, context, status=status)
