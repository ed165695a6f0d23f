from django.urls import path

from .views import board, checkin, detail, estimate

app_name = "repair_orders"

urlpatterns = [
    path("", board.board, name="board"),
    path("walk-in/", board.walk_in, name="walk_in"),
    path("walk-in/lookup/", board.walk_in_lookup, name="walk_in_lookup"),
    path("walk-in/comebacks/", board.walk_in_comebacks, name="walk_in_comebacks"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/check-in-tab/", detail.checkin_tab, name="checkin_tab"),
    path("<int:pk>/submit-estimate/", detail.submit_estimate, name="submit_estimate"),
    path("<int:pk>/cancel/", detail.cancel, name="cancel"),
    path("<int:pk>/walk-around/", checkin.walkaround, name="walkaround"),
    path("<int:pk>/damage/", checkin.damage_add, name="damage_add"),
    path("<int:pk>/damage/remove/", checkin.damage_remove, name="damage_remove"),
    path("<int:pk>/damage/photos/", checkin.damage_photos, name="damage_photos"),
    path("<int:pk>/sign-check-in/", checkin.sign_check_in, name="sign_check_in"),
    path("signatures/<int:pk>/", checkin.signature_image, name="signature"),
    path("<int:pk>/operations/", estimate.operation_search, name="operation_search"),
    path("<int:pk>/parts/search/", estimate.part_search, name="part_search"),
    path("<int:pk>/jobs/operation/", estimate.add_operation, name="add_operation"),
    path("<int:pk>/jobs/package/", estimate.add_package, name="add_package"),
    path("<int:pk>/jobs/free-text/", estimate.add_free_text, name="add_free_text"),
    path("<int:pk>/parts/", estimate.add_part, name="add_part"),
    path("<int:pk>/approve/", estimate.approve, name="approve"),
]
