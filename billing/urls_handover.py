"""Handover screens: the RO page's handover tab (pre-delivery check), warranty claims, the day close."""

from django.urls import path

from .views import claims, day_close, handover

urlpatterns = [
    path("repair-orders/<int:pk>/handover/", handover.panel, name="handover"),
    path("repair-orders/<int:pk>/handover/sign/", handover.sign, name="handover_sign"),
    path("claims/", claims.claim_list, name="claim_list"),
    path("claims/<int:pk>/", claims.claim_show, name="claim_detail"),
    path("claims/<int:pk>/act/", claims.claim_act, name="claim_act"),
    path("day-close/", day_close.day_close_page, name="day_close"),
]
