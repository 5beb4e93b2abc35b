"""Dossier states, actions, channels and the other choices of the dossier aggregate."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierStatus(models.TextChoices):
    """States of docs/ARCHITECTURE.md §3; labels are the national status names (docs/DOMAIN.md §2)."""

    DRAFT = "draft", _("Hồ sơ nháp")
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Yêu cầu bổ sung")
    RESULT_READY = "result_ready", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")
    REFUSED = "refused", _("Từ chối")
    WITHDRAWN = "withdrawn", _("Công dân rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")


# Terminal states: no action leaves them.
FINAL_STATES = frozenset(
    {
        DossierStatus.RETURNED,
        DossierStatus.REFUSED,
        DossierStatus.WITHDRAWN,
        DossierStatus.STOPPED,
    }
)
# States where the legal clock runs (t0 set, result not yet ready).
CLOCK_RUNNING_STATES = frozenset({DossierStatus.RECEIVED, DossierStatus.PROCESSING})
OPEN_STATES = frozenset(s for s in DossierStatus if s not in FINAL_STATES)


class Action(models.TextChoices):
    """The actions of the transition table (workflow.TRANSITIONS), one service each."""

    CREATE_DRAFT = "create_draft", _("Tạo hồ sơ nháp")
    SUBMIT = "submit", _("Nộp hồ sơ")
    RECEIVE_DIRECT = "receive_direct", _("Tiếp nhận trực tiếp")
    RECEIVE_POSTAL = "receive_postal", _("Tiếp nhận qua bưu chính")
    ACCEPT = "accept", _("Tiếp nhận hồ sơ")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung hồ sơ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    START = "start", _("Bắt đầu xử lý")
    FORWARD = "forward", _("Chuyển xử lý")
    SUPPLEMENT = "supplement", _("Bổ sung hồ sơ")
    APPROVE = "approve", _("Phê duyệt kết quả")
    DENY = "deny", _("Không phê duyệt (trả lời bằng văn bản)")
    APOLOGISE = "apologise", _("Xin lỗi và hẹn lại ngày trả kết quả")
    STOP = "stop", _("Dừng xử lý")
    RETURN_RESULT = "return_result", _("Trả kết quả")
    WITHDRAW = "withdraw", _("Rút hồ sơ")


# Event actions that are not transitions (the status does not change).
class EventAction(models.TextChoices):
    ATTACH = "attach", _("Đính kèm tệp")
    DETACH = "detach", _("Gỡ tệp khỏi hồ sơ nháp")
    UPDATE_DRAFT = "update_draft", _("Cập nhật hồ sơ nháp")
    RATE = "rate", _("Đánh giá mức độ hài lòng")
    PAYMENT = "payment", _("Phí, lệ phí")
    POSTAL = "postal", _("Bưu chính")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DIRECT = "direct", _("Trực tiếp")
    POSTAL = "postal", _("Qua dịch vụ bưu chính công ích")


# National channel codes (docs/DOMAIN.md §2): direct 1, online 2, postal 3.
NATIONAL_CHANNEL_CODES: dict[str, int] = {
    Channel.DIRECT: 1,
    Channel.ONLINE: 2,
    Channel.POSTAL: 3,
}


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    BUSINESS = "business", _("Tổ chức, doanh nghiệp")


class ResultDelivery(models.TextChoices):
    IN_PERSON = "in_person", _("Nhận trực tiếp")
    POSTAL = "postal", _("Qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Trực tuyến")


class Satisfaction(models.TextChoices):
    """The three levels of a citizen's rating (docs/DOMAIN.md §8)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Chưa hài lòng")


class AttachmentKind(models.TextChoices):
    APPLICATION = "application", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    SCAN = "scan", _("Bản quét hồ sơ giấy")
    RESULT = "result", _("Kết quả giải quyết")
    DRAFT_RESULT = "draft_result", _("Dự thảo kết quả")
