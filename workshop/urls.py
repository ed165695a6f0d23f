"""The workshop's screens: dispatch board (foreman), my jobs (technician), quality control (inspector)."""

from . import urls_board, urls_qc, urls_technician

app_name = "workshop"
urlpatterns = [*urls_board.urlpatterns, *urls_technician.urlpatterns, *urls_qc.urlpatterns]
