"""Prove that every part's on_hand and reserved agree with its ledger and reservations."""

from django.core.management.base import BaseCommand, CommandError

from parts.selectors import stock_ledger_disagreements
from servicedesk.accounts.models import Site


class Command(BaseCommand):
    help = ("For every part: on_hand == sum of its movements == the last movement's balance_after, and "
            "reserved == what its held reservations still hold. Lists disagreements; exits 1 if any.")

    def add_arguments(self, parser):
        parser.add_argument("--site", metavar="CODE", help="check one site only")

    def handle(self, *args, site=None, **options):
        chosen = None
        if site:
            chosen = Site.objects.filter(code=site.upper()).first()
            if chosen is None:
                raise CommandError(f"no site with code {site}")
        disagreements = stock_ledger_disagreements(site=chosen)
        for line in disagreements:
            self.stdout.write(line)
        if disagreements:
            raise CommandError(f"{len(disagreements)} part(s) disagree with the stock ledger")
        self.stdout.write(self.style.SUCCESS("Stock ledger agrees with on-hand and reserved quantities."))
