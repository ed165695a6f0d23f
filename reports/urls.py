from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("monthly/", views.monthly_view, name="monthly"),
    path("monthly/export/", views.monthly_export, name="monthly_export"),
    path("monthly.pdf", views.monthly_pdf, name="monthly_pdf"),
    path("daily/", views.daily_view, name="daily"),
    path("daily/export/", views.daily_export, name="daily_export"),
    path("definitions/", views.definitions_view, name="definitions"),
    path("archive/", views.archive_view, name="archive"),
    path("archive/<int:pk>/", views.archive_download, name="archive_download"),
]
