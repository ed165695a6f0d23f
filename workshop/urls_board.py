"""The dispatch board (foreman): the board, and the moves its cards post."""

from django.urls import path

from .views import board

urlpatterns: list = [
    path("board/", board.board, name="board"),
    path("board/jobs/<int:pk>/assign/", board.assign, name="board_assign"),
    path("board/jobs/<int:pk>/unassign/", board.unassign, name="board_unassign"),
]
