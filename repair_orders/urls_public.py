"""The customer's pages behind signed links: no login (tests/test_permission_harness.py PUBLIC)."""

from django.urls import path

from .views import public

app_name = "ro_public"

urlpatterns = [
    path("<str:token>/", public.approval, name="approval"),
    path("<str:token>/photos/<int:photo_id>/", public.photo, name="photo"),
]
