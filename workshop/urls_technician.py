"""The technician's screen (my jobs, its buttons) and the foreman's review of clocks the nightly scan stopped."""

from django.urls import path

from .views import technician

urlpatterns: list = [
    path("my-jobs/", technician.technician_jobs, name="my_jobs"),
    path("my-jobs/clock-off/", technician.off, name="clock_off"),
    path("my-jobs/<int:pk>/start/", technician.start, name="job_start"),
    path("my-jobs/<int:pk>/pause/", technician.pause, name="job_pause"),
    path("my-jobs/<int:pk>/finish/", technician.finish, name="job_finish"),
    path("my-jobs/<int:pk>/extra-work/", technician.report_extra, name="report_extra"),
    path("time-review/", technician.time_review, name="time_review"),
    path("time-review/<int:pk>/", technician.time_review_confirm, name="time_review_confirm"),
]
