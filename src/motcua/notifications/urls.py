"""The notifications pages: the portal's at /thong-bao/ (with the sandbox inbox at
/thong-bao/thu-nghiem/), the back office's at /can-bo/thong-bao/ (`backoffice_urlpatterns`)."""

from django.urls import URLPattern, path

from . import views


def _notice_pages(layout: str) -> list[URLPattern]:
    kwargs = {"layout": layout}
    return [
        path("", views.notices, kwargs, name="notices"),
        path("<int:pk>/da-doc/", views.notice_read, kwargs, name="notice_read"),
        path("da-doc-tat-ca/", views.notices_read_all, kwargs, name="notices_read_all"),
        path("lua-chon/", views.preferences, kwargs, name="preferences"),
    ]


app_name = "notifications"
urlpatterns: list[URLPattern] = [
    *_notice_pages(views.PORTAL),
    path("thu-nghiem/", views.sandbox_inbox, name="sandbox"),
]
backoffice_urlpatterns: list[URLPattern] = _notice_pages(views.BACKOFFICE)
