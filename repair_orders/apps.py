from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepairOrdersConfig(AppConfig):
    name = "repair_orders"
    verbose_name = _("Repair orders")
