from django.urls import path

from .views import adjustments, catalogue, receiving, shortages

app_name = "parts"

urlpatterns = [
    path("", catalogue.part_list, name="part_list"),
    path("<int:pk>/", catalogue.part_detail, name="part_detail"),
    path("<int:pk>/adjust/", adjustments.part_adjust, name="part_adjust"),
    path("reorder/", catalogue.reorder_list, name="reorder_list"),
    path("receive/", receiving.receive, name="receive"),
    path("shortages/", shortages.shortage_list, name="shortage_list"),
    path("shortages/new/", shortages.shortage_create, name="shortage_create"),
    path("shortages/order/", shortages.purchase_requests_create, name="purchase_requests_create"),
    path("shortages/<int:pk>/cancel/", shortages.shortage_cancel, name="shortage_cancel"),
    path("adjustments/", adjustments.adjustment_list, name="adjustment_list"),
    path("adjustments/<int:pk>/decide/", adjustments.adjustment_decide, name="adjustment_decide"),
]
