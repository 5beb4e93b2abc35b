"""Shipment kinds and states, weight classes, postage zones and the provider names (docs/POSTAL.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShipmentKind(models.TextChoices):
    PICKUP = "pickup", _("Nhận hồ sơ tại nhà (từ người nộp đến cơ quan)")
    DELIVERY = "delivery", _("Trả kết quả tại nhà (từ cơ quan đến người nhận)")


class ShipmentStatus(models.TextChoices):
    CREATED = "created", _("Đã tạo đơn")
    ACCEPTED = "accepted", _("Bưu điện đã nhận đơn")
    PICKED_UP = "picked_up", _("Bưu tá đã lấy hàng")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    DELIVERED = "delivered", _("Đã phát thành công")
    RETURNED_TO_SENDER = "returned_to_sender", _("Phát không thành công, đã hoàn về người gửi")
    LOST = "lost", _("Thất lạc")
    CANCELLED = "cancelled", _("Đã huỷ đơn")


# No change leaves these.
FINAL_SHIPMENT_STATES = frozenset(
    {
        ShipmentStatus.DELIVERED,
        ShipmentStatus.RETURNED_TO_SENDER,
        ShipmentStatus.LOST,
        ShipmentStatus.CANCELLED,
    }
)
# The parcel is still on its way (or about to be): the desk does not hand the result over too.
ACTIVE_SHIPMENT_STATES = frozenset(
    s for s in ShipmentStatus.values if s not in FINAL_SHIPMENT_STATES
)
# The parcel did not arrive: the dossier is back at the desk, flagged.
FAILED_SHIPMENT_STATES = frozenset({ShipmentStatus.RETURNED_TO_SENDER, ShipmentStatus.LOST})


class WeightClass(models.TextChoices):
    UP_TO_500G = "500g", _("Đến 500 g")
    UP_TO_1KG = "1kg", _("Trên 500 g đến 1 kg")
    UP_TO_2KG = "2kg", _("Trên 1 kg đến 2 kg")
    OVER_2KG = "over2kg", _("Trên 2 kg")


class Zone(models.TextChoices):
    """Postage zones of an agency: the address in its own province or in another one."""

    INTRA = "intra", _("Nội tỉnh")
    INTER = "inter", _("Liên tỉnh")


class Provider(models.TextChoices):
    SANDBOX = "sandbox", _("Bưu điện thử nghiệm (của hệ thống)")
    VNPOST = "vnpost", _("Tổng công ty Bưu điện Việt Nam (VNPost)")


class EventSource(models.TextChoices):
    OPERATOR = "operator", _("Doanh nghiệp bưu chính")
    OFFICER = "officer", _("Cán bộ")
    SYSTEM = "system", _("Hệ thống")


class CallbackOutcome(models.TextChoices):
    QUEUED = "queued", _("Đã nhận, chờ ghi nhận")
    APPLIED = "applied", _("Đã ghi nhận")
    DUPLICATE = "duplicate", _("Trùng, không thay đổi")
    OUT_OF_ORDER = "out_of_order", _("Sai thứ tự, bỏ qua")


class AddressPurpose(models.TextChoices):
    PICKUP = "pickup", _("Địa chỉ nhận hồ sơ")
    DELIVERY = "delivery", _("Địa chỉ nhận kết quả")
