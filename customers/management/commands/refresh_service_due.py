"""`manage.py refresh_service_due [--site CODE]`: recompute every vehicle's reminder day (Vehicle.service_due_on)
after vehicles or readings were written without the services (a bulk load, SQL, an edited maintenance schedule).
Batches of 2,000 vehicles, each in its own transaction; safe to re-run (only dates that moved are written)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from customers.service_due import service_due_refresh_all
from servicedesk.accounts.models import Site


class Command(BaseCommand):
    help = "Recompute the vehicles' service reminder day (all sites, or one)."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="site code (default: every site)")

    def handle(self, *args, site=None, **options):
        site_id = None
        if site:
            site_id = Site.objects.filter(code=site).values_list("pk", flat=True).first()
            if site_id is None:
                raise CommandError(f"No site with the code {site}.")
        moved = service_due_refresh_all(site_id=site_id, atomic=transaction.atomic)
        self.stdout.write(f"{moved} vehicles' reminder day recomputed.")
