"""The sandbox postal operator's page (development, demo and tests only)."""

from django.urls import URLPattern, path

from . import views

app_name = "postal"
urlpatterns: list[URLPattern] = [
    path("", views.sandbox_postal, name="sandbox"),
]
