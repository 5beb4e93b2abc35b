"""Public verification of e-results."""

from django.urls import URLPattern, path

from . import views

app_name = "results"
urlpatterns: list[URLPattern] = [
    path("xac-thuc/<str:code>/", views.verify, name="verify"),
]
