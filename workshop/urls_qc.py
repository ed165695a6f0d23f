"""Quality control's screens: the inspector's queue, the inspection of one RO, the RO page's QC tab."""

from django.urls import path

from .views import qc

urlpatterns = [
    path("qc/", qc.queue, name="qc_queue"),
    path("qc/<int:pk>/", qc.inspect, name="qc_inspect"),
    path("qc/<int:pk>/tab/", qc.tab, name="qc_tab"),
]
