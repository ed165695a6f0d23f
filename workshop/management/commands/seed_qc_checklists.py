"""`manage.py seed_qc_checklists`: the default QC checklists (workshop.qc_defaults). Safe to re-run: a category
that already has a checklist (perhaps edited in admin) is left as it is."""

from django.core.management.base import BaseCommand

from workshop.qc_defaults import seed_checklists


class Command(BaseCommand):
    help = "Create the default QC checklists where a job category has none. Idempotent."

    def handle(self, *args, **options):
        created = seed_checklists()
        self.stdout.write(f"QC checklists: {created} created.")
