from django.urls import path

from .views import board, booking, detail, public

app_name = "appointments"

urlpatterns = [
    path("", board.arrivals, name="arrivals"),
    path("calendar/", board.calendar, name="calendar"),
    path("new/", booking.book, name="book"),
    path("new/availability/", booking.availability_panel, name="availability_panel"),
    path("new/lookup/", booking.archive_lookup, name="archive_lookup"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/confirm/", detail.confirm, name="confirm"),
    path("<int:pk>/check-in/", detail.check_in, name="check_in"),
    path("<int:pk>/no-show/", detail.no_show, name="no_show"),
    path("<int:pk>/cancel/", detail.cancel, name="cancel"),
    path("<int:pk>/reschedule/", detail.reschedule, name="reschedule"),
    path("<int:pk>/move/", board.board_move, name="board_move"),
    path("calls/<int:pk>/", detail.call_complete, name="call_complete"),
    # Public: no login (tests/test_permission_harness.py PUBLIC)
    path("book/", public.public_book, name="public_book"),
    path("book/slots/", public.public_slots, name="public_slots"),
    path("book/done/<str:token>/", public.public_done, name="public_done"),
    path("self/<str:token>/", public.self_service, name="self_service"),
]
