"""Kinds of result document, where they came from, and how a download reached the citizen."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultKind(models.TextChoices):
    """What the agency issues (docs/RESULTS-DOCUMENTS.md): one template per kind."""

    CERTIFICATE = "certificate", _("Giấy chứng nhận")
    LICENCE = "licence", _("Giấy phép")
    PERMIT = "permit", _("Văn bản chấp thuận")
    DECISION = "decision", _("Quyết định")
    REFUSAL = "refusal", _("Phiếu từ chối tiếp nhận hồ sơ")
    DENIAL = "denial", _("Văn bản trả lời không giải quyết")


class ResultSource(models.TextChoices):
    GENERATED = "generated", _("Tạo từ mẫu")
    UPLOADED = "uploaded", _("Tải lên (bản quét hoặc từ hệ thống chuyên ngành)")


class DownloadChannel(models.TextChoices):
    MY_DOSSIERS = "my_dossiers", _("Trang hồ sơ của tôi")
    TRACKING = "tracking", _("Trang tra cứu (mã hồ sơ và yếu tố xác thực thứ hai)")
    API = "api", _("API tích hợp")
    BACKOFFICE = (
        "backoffice",
        _("Trang cán bộ (trang hồ sơ của bộ phận một cửa, cơ quan giải quyết)"),
    )


# The channels where the applicant themselves downloads: the first such download of a result
# chosen online hands it over. An officer's or an API client's download never does.
CITIZEN_CHANNELS = frozenset({DownloadChannel.MY_DOSSIERS, DownloadChannel.TRACKING})


# The transitions that issue signed results: approve (the result), deny (the written answer with
# the reasons) and refuse at reception (the written refusal with its reasons, form 03's content).
ISSUING_ACTIONS = ("approve", "deny", "refuse")

# The event actions this app writes into a dossier's audit chain (the status does not change).
EVENT_RESULT_CORRECT = "result_correct"

# Who returned the result when the applicant's first online download hands it over.
ONLINE_DOWNLOAD_LABEL = "Tải kết quả trực tuyến"
