"""`manage.py rebuild_survey_rollup [--site CODE] [--month YYYY-MM ...]`: recount the survey month scores the
monthly report reads (followups.services.survey_rollup) after surveys were written without the service — an
import, a restore, a site's time zone changed. Safe to re-run; surveys recorded meanwhile are counted once."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from followups.services.survey_rollup import survey_rollup_rebuild
from servicedesk.accounts.models import Site


class Command(BaseCommand):
    help = "Recount the survey month scores (the monthly report's department scores) from the survey answers."

    def add_arguments(self, parser):
        parser.add_argument("--site", help="the site's code (every site when left out)")
        parser.add_argument("--month", action="append", default=[],
                            help="YYYY-MM (repeatable; every month when left out)")

    def handle(self, *args, site=None, month=(), **options):
        chosen = None
        if site:
            chosen = Site.objects.filter(code=site).first()
            if chosen is None:
                raise CommandError(f"No site with the code {site}.")
        try:
            months = [datetime.strptime(text, "%Y-%m").date() for text in month] or None
        except ValueError:
            raise CommandError("Give each month as YYYY-MM.") from None
        written = survey_rollup_rebuild(site=chosen, months=months)
        self.stdout.write(f"Survey month scores: {written} rows written.")
