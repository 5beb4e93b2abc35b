"""The site's URL map; each app adds its own include here as it grows."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.integration.api import api as api_v1
from motcua.notifications import urls as notifications_urls
from motcua.ops import views as ops_views

admin.site.site_header = _("motcua · Quản trị hệ thống một cửa điện tử")
admin.site.site_title = "motcua"
admin.site.index_title = _("Cấu hình hệ thống")

urlpatterns = [
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("favicon.ico", ops_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_v1.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("tai-khoan/", include("motcua.accounts.urls")),
    path(
        "can-bo/thong-bao/",
        include((notifications_urls.backoffice_urlpatterns, "notifications_backoffice")),
    ),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("bao-cao/", include("motcua.reports.urls")),
    path("thanh-toan/thu-nghiem/", include("motcua.payments.urls")),
    path("buu-chinh/thu-nghiem/", include("motcua.postal.urls")),
    path("thong-bao/", include("motcua.notifications.urls")),
    path("", include("motcua.results.urls")),
    path("", include("motcua.portal.urls")),
]
