"""The site's workshop rules: its WorkshopSettings row, or the defaults (unsaved) when it has none."""

from .models import WorkshopSettings


def workshop_settings(site) -> WorkshopSettings:
    """One query; a site without a row gets the model's defaults."""
    return WorkshopSettings.objects.filter(site=site).first() or WorkshopSettings(site=site)
