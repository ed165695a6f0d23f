"""Retention screens: reminders sent, lost customers (reason, win-back call)."""

from django.urls import path

from .views import retention

urlpatterns = [
    path("reminders/", retention.reminder_list, name="reminders"),
    path("lost/", retention.lost_list, name="lost_list"),
    path("lost/<int:pk>/reason/", retention.lost_reason, name="lost_reason"),
    path("lost/<int:pk>/win-back/", retention.lost_win_back, name="lost_win_back"),
]
