"""Citizen-facing pages."""

from django.urls import URLPattern, URLResolver, path

from . import dossier_views, payment_views, postal_views, submission_views, views

app_name = "portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("nop-ho-so/<str:code>/", submission_views.submit_start, name="submit"),
    path(
        "nop-ho-so/nhap/<uuid:uuid>/<slug:step>/",
        submission_views.submit_step,
        name="submit_step",
    ),
    path("tra-cuu/", dossier_views.lookup, name="lookup"),
    path("tra-cuu/ket-qua/", dossier_views.lookup_result_download, name="lookup_result"),
    path("ho-so-cua-toi/", dossier_views.my_dossiers, name="my_dossiers"),
    path(
        "ho-so-cua-toi/nhap/<uuid:uuid>/huy/",
        dossier_views.discard_draft,
        name="discard_draft",
    ),
    path("ho-so-cua-toi/<str:code>/", dossier_views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<str:code>/bien-nhan/", dossier_views.receipt, name="receipt"),
    path(
        "ho-so-cua-toi/<str:code>/bien-nhan.pdf",
        dossier_views.receipt_download,
        name="receipt_pdf",
    ),
    path(
        "ho-so-cua-toi/<str:code>/tep/<int:pk>/",
        dossier_views.attachment_download,
        name="attachment",
    ),
    path(
        "ho-so-cua-toi/<str:code>/ket-qua/<str:result_code>/",
        dossier_views.result_download,
        name="result_pdf",
    ),
    path("ho-so-cua-toi/<str:code>/bo-sung/", dossier_views.supplement, name="supplement"),
    path("ho-so-cua-toi/<str:code>/rut-ho-so/", dossier_views.withdraw, name="withdraw"),
    path("ho-so-cua-toi/<str:code>/danh-gia/", dossier_views.rate, name="rate"),
    path(
        "ho-so-cua-toi/<str:code>/buu-gui/<int:pk>/huy/",
        dossier_views.shipment_cancel,
        name="shipment_cancel",
    ),
    path("buu-chinh/xa-phuong/", postal_views.wards, name="postal_wards"),
    path("thanh-toan/<str:reference>/", payment_views.pay, name="payment"),
    path("thanh-toan/<str:reference>/ket-qua/", payment_views.pay_return, name="payment_return"),
    path("thanh-toan/<str:reference>/bien-lai.pdf", payment_views.receipt, name="payment_receipt"),
]
