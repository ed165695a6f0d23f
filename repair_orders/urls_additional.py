"""Staff URLs of additional work, discounts, photos and recommendations (included under repair-orders/)."""

from django.urls import path

from .views import additional

app_name = "ro_additional"

urlpatterns = [
    path("<int:pk>/additional/", additional.panel, name="panel"),
    path("<int:pk>/additional/answer/", additional.answer, name="answer"),
    path("<int:pk>/additional/send-link/", additional.send_link, name="send_link"),
    path("<int:pk>/additional/promised-time/", additional.promised_time, name="promised_time"),
    path("<int:pk>/additional/discount/", additional.discount, name="discount"),
    path("<int:pk>/additional/recommendation/", additional.recommendation, name="recommendation"),
    path("<int:pk>/additional/photos/", additional.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", additional.photo, name="photo"),
    path("discount-requests/<int:pk>/decide/", additional.discount_decide, name="discount_decide"),
]
