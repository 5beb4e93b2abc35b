"""Channels, message states and the events people are told about (docs/NOTIFICATIONS.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    INAPP = "inapp", _("Thông báo trên hệ thống")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    DELIVERED = "delivered", _("Đã đến người nhận")
    FAILED = "failed", _("Không gửi được")


# A status only moves forward (a provider's callbacks may come twice or out of order): a lower
# rank never replaces a higher one, and failed and delivered are both final.
STATUS_RANK: dict[str, int] = {
    MessageStatus.QUEUED: 0,
    MessageStatus.SENDING: 1,
    MessageStatus.SENT: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.FAILED: 3,
}
FINAL_STATUSES = frozenset({MessageStatus.DELIVERED, MessageStatus.FAILED})


class Audience(models.TextChoices):
    APPLICANT = "applicant", _("Người nộp hồ sơ")
    OFFICER = "officer", _("Cán bộ")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")


class Event(models.TextChoices):
    """What a message reports. The audience is in EVENT_AUDIENCE; officers cannot turn off
    those in MANDATORY_EVENTS."""

    # To the applicant
    SUBMITTED = "submitted", _("Hồ sơ đã được nộp")
    RECEIVED = "received", _("Hồ sơ đã được tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    REFUSED = "refused", _("Hồ sơ bị từ chối tiếp nhận")
    APOLOGY = "apology", _("Thư xin lỗi và hẹn lại ngày trả kết quả")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    PAYMENT_DUE = "payment_due", _("Cần nộp phí, lệ phí")
    PAYMENT_RECEIVED = "payment_received", _("Đã nhận phí, lệ phí")
    SHIPMENT_SENT = "shipment_sent", _("Bưu gửi đã được gửi đi")
    SHIPMENT_DELIVERED = "shipment_delivered", _("Bưu gửi đã được phát")
    # To officers
    TASK_ASSIGNED = "task_assigned", _("Có hồ sơ mới cần xử lý")
    DUE_SOON = "due_soon", _("Hồ sơ sắp đến hạn")
    OVERDUE = "overdue", _("Hồ sơ quá hạn")
    DIGEST = "digest", _("Tổng hợp công việc hằng ngày")
    # To agency administrators
    REPORT_DUE = "report_due", _("Nhắc nộp báo cáo")


EVENT_AUDIENCE: dict[str, str] = {
    Event.SUBMITTED: Audience.APPLICANT,
    Event.RECEIVED: Audience.APPLICANT,
    Event.SUPPLEMENT_REQUESTED: Audience.APPLICANT,
    Event.REFUSED: Audience.APPLICANT,
    Event.APOLOGY: Audience.APPLICANT,
    Event.RESULT_READY: Audience.APPLICANT,
    Event.RETURNED: Audience.APPLICANT,
    Event.PAYMENT_DUE: Audience.APPLICANT,
    Event.PAYMENT_RECEIVED: Audience.APPLICANT,
    Event.SHIPMENT_SENT: Audience.APPLICANT,
    Event.SHIPMENT_DELIVERED: Audience.APPLICANT,
    Event.TASK_ASSIGNED: Audience.OFFICER,
    Event.DUE_SOON: Audience.OFFICER,
    Event.OVERDUE: Audience.OFFICER,
    Event.DIGEST: Audience.OFFICER,
    Event.REPORT_DUE: Audience.AGENCY_ADMIN,
}

# Warnings an officer may not turn off (the digest, by contrast, may be).
MANDATORY_EVENTS = frozenset({Event.OVERDUE, Event.REPORT_DUE})

# The transport a message of each channel needs from its recipient.
ADDRESS_OF_CHANNEL: dict[str, str] = {
    Channel.EMAIL: "email",
    Channel.SMS: "phone",
    Channel.ZALO: "phone",
    Channel.INAPP: "user",
}
