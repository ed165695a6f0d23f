from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from appointments import api as appointments_api
from billing import api as billing_api
from customers import api as customers_api
from followups import api as followups_api
from parts import api as parts_api
from repair_orders import api as repair_orders_api
from reports import api as reports_api
from servicedesk.accounts import views as account_views
from servicedesk.core import views as core_views
from servicedesk.core import views_notifications
from workshop import api as workshop_api

api_patterns = [
    *customers_api.router.urls,
    *appointments_api.router.urls,
    *parts_api.router.urls,
    *repair_orders_api.urls,
    *workshop_api.urls,
    *billing_api.urls,
    *followups_api.urls,
    *reports_api.urls,
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("", account_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("site/", account_views.switch_site, name="switch_site"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("customers.urls")),
    path("parts/", include("parts.urls")),
    path("appointments/", include("appointments.urls")),
    path("repair-orders/", include("repair_orders.urls")),
    path("repair-orders/", include("repair_orders.urls_additional")),
    path("r/", include("repair_orders.urls_public")),
    path("workshop/", include("workshop.urls")),
    path("billing/", include("billing.urls")),
    path("followups/", include("followups.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("servicedesk.audit.urls")),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/bell/", views_notifications.notification_bell, name="notifications_bell"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api_docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api_redoc"),
]

handler400 = "servicedesk.core.views_errors.bad_request"
handler403 = "servicedesk.core.views_errors.permission_denied"
handler404 = "servicedesk.core.views_errors.page_not_found"
handler500 = "servicedesk.core.views_errors.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
