"""The calls screens: the customer-care queue, my calls, the call screen, complaints, comeback reports."""

from django.urls import path

from .views import calls

urlpatterns = [
    path("", calls.queue, name="queue"),
    path("my-calls/", calls.my_calls, name="my_calls"),
    path("calls/<int:pk>/", calls.call, name="call"),
    path("calls/<int:pk>/claim/", calls.claim, name="claim"),
    path("calls/<int:pk>/release/", calls.release, name="release"),
    path("calls/<int:pk>/attempt/", calls.attempt, name="attempt"),
    path("calls/<int:pk>/complete/", calls.complete, name="complete"),
    path("complaints/", calls.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", calls.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/resolve/", calls.complaint_resolve_view, name="complaint_resolve"),
    path("comebacks/", calls.comeback_list, name="comeback_list"),
    path("comebacks/<int:pk>/close/", calls.comeback_close_view, name="comeback_close"),
]
