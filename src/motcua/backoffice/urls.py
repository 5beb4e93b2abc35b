"""URLs of the back office, mounted at /can-bo/."""

from django.urls import URLPattern, path

from .views import (
    apologies,
    documents,
    dossier,
    payments,
    postal,
    postal_papers,
    queues,
    reception,
)

app_name = "backoffice"
urlpatterns: list[URLPattern] = [
    path("", queues.queues, name="queues"),
    path("tiep-nhan/", reception.intake, name="intake"),
    path("ho-so/<str:code>/", dossier.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", dossier.dossier_action, name="action"),
    path("ho-so/<str:code>/nhanh/<str:action>/", queues.row_action, name="row_action"),
    path("ho-so/<str:code>/tep/<int:pk>/", dossier.attachment_download, name="attachment"),
    path(
        "ho-so/<str:code>/ket-qua/<str:result_code>/",
        dossier.result_download,
        name="result_download",
    ),
    path(
        "ho-so/<str:code>/ket-qua/<str:result_code>/dinh-chinh/",
        dossier.result_correction,
        name="result_correct",
    ),
    path("ho-so/<str:code>/bieu-mau/<str:key>/", documents.dossier_form, name="form"),
    path("so-theo-doi/", documents.tracking_book, name="tracking_book"),
    path("xin-loi/", apologies.apology_register, name="apologies"),
    path("thanh-toan/", payments.payments_home, name="payments"),
    path(
        "thanh-toan/hoa-don/<str:reference>/<slug:action>/",
        payments.invoice_action,
        name="invoice_action",
    ),
    path("thanh-toan/sao-ke/", payments.statement_upload, name="statement_upload"),
    path("thanh-toan/sao-ke/dong/<int:pk>/", payments.statement_decide, name="statement_decide"),
    path("thanh-toan/sao-ke/minh-hoa/<int:pk>.csv", payments.demo_statement, name="demo_statement"),
    path("buu-chinh/<int:shipment_id>/nhan.pdf", postal_papers.postal_label, name="postal_label"),
    path(
        "buu-chinh/<int:shipment_id>/bien-ban-ban-giao.pdf",
        postal_papers.postal_handover_record,
        name="postal_handover_record",
    ),
    path("buu-chinh/danh-sach-gui.pdf", postal_papers.postal_day_list, name="postal_day_list"),
    path("buu-chinh/", postal.postal_home, name="postal"),
    path("buu-chinh/<int:pk>/ban-giao/", postal.pickup_handover, name="postal_handover"),
    path(
        "buu-chinh/<int:pk>/thao-tac/<slug:action>/",
        postal.shipment_action,
        name="shipment_action",
    ),
    path("ho-so/<str:code>/buu-chinh/gui/", postal.delivery_request, name="postal_delivery"),
]
