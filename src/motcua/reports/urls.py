"""URLs of the reports, mounted at /bao-cao/."""

from django.urls import URLPattern, path

from . import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.dossier_list, name="dossiers"),
    path("tai-ve.<str:fmt>", views.export, name="export"),
    path("nop-bao-cao/", views.submissions, name="submissions"),
    path("nop-bao-cao/<str:action>/", views.submission_action, name="submission_action"),
    path("cong-khai/", views.open_data, name="open_data"),
    path("cong-khai/du-lieu.<str:fmt>", views.open_data_file, name="open_data_file"),
]
