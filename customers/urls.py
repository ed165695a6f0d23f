from django.urls import path

from .privacy import views as privacy
from .views import customers, imports, search, vehicles

app_name = "customers"

urlpatterns = [
    path("search/", search.search, name="search"),
    path("customers/", customers.customer_list, name="customer_list"),
    path("customers/new/", customers.customer_create, name="customer_create"),
    path("customers/<int:pk>/", customers.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", customers.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/consent/", customers.customer_consent, name="customer_consent"),
    path("customers/<int:pk>/contacts/", customers.customer_contact_add, name="customer_contact_add"),
    path("customers/<int:pk>/merge/", customers.customer_merge, name="customer_merge"),
    path("customers/<int:pk>/privacy/", privacy.privacy_page, name="privacy"),
    path("customers/<int:pk>/privacy/export/", privacy.export, name="privacy_export"),
    path("customers/<int:pk>/privacy/erase/", privacy.erase, name="privacy_erase"),
    path("vehicles/", vehicles.vehicle_list, name="vehicle_list"),
    path("vehicles/new/", vehicles.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:pk>/", vehicles.vehicle_detail, name="vehicle_detail"),
    path("vehicles/<int:pk>/edit/", vehicles.vehicle_edit, name="vehicle_edit"),
    path("vehicles/<int:pk>/transfer/", vehicles.vehicle_transfer, name="vehicle_transfer"),
    path("vehicles/<int:pk>/mileage/", vehicles.vehicle_mileage, name="vehicle_mileage"),
    path("archive/import/", imports.import_start, name="import"),
    path("archive/import/<int:pk>/", imports.import_status, name="import_status"),
    path("archive/export/<str:kind>.<str:fmt>", imports.export, name="export"),
]
