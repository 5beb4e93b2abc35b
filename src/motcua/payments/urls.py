"""The sandbox payment gateway (development, demo and tests only)."""

from django.urls import URLPattern, path

from . import views

app_name = "payments"
urlpatterns: list[URLPattern] = [
    path("vnpay/", views.sandbox_vnpay, name="sandbox_vnpay"),
]
