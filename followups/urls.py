"""Follow-up screens: callback queues, surveys, complaints, comebacks (calls); reminders, lost customers (retention)."""

from . import urls_calls, urls_retention

app_name = "followups"
urlpatterns = [*urls_calls.urlpatterns, *urls_retention.urlpatterns]
