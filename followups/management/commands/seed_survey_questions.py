"""`manage.py seed_survey_questions`: the default satisfaction questionnaire (followups.survey_defaults). Safe to
re-run: a question that already exists (perhaps edited in admin) is left as it is."""

from django.core.management.base import BaseCommand

from followups.survey_defaults import seed_questions


class Command(BaseCommand):
    help = "Create the default survey questions that do not exist yet. Idempotent."

    def handle(self, *args, **options):
        created = seed_questions()
        self.stdout.write(f"Survey questions: {created} created.")
