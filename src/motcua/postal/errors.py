"""Postal errors, each with a stable code and a Vietnamese message (the API maps them to 4xx)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from motcua.dossiers.exceptions import DossierError


class PostalError(DossierError):
    code: str = "postal_error"
    message: Any = _("Không thực hiện được thao tác bưu chính.")
    http_status: int = 422


class ShipmentStateError(PostalError):
    code = "shipment_state"
    message = _("Thao tác này không được phép ở trạng thái hiện tại của bưu gửi.")
    http_status = 409


class PostalNotOffered(PostalError):
    code = "postal_not_offered"
    message = _("Thủ tục này không nhận hồ sơ hoặc không trả kết quả qua bưu chính.")
    http_status = 409


class NoPostalAccount(PostalError):
    code = "no_postal_account"
    message = _("Cơ quan chưa đăng ký dịch vụ bưu chính công ích.")
    http_status = 409


class PickupPending(PostalError):
    code = "pickup_pending"
    message = _(
        "Hồ sơ gửi qua bưu chính chưa được bưu điện bàn giao: tiếp nhận bằng biên bản bàn giao."
    )
    http_status = 409


class DeliveryUnderway(PostalError):
    code = "delivery_underway"
    message = _("Kết quả đang được gửi qua bưu chính: chưa thể trả tại quầy.")
    http_status = 409


class AddressInvalid(PostalError):
    code = "address_invalid"
    message = _("Địa chỉ nhận, gửi bưu chính không hợp lệ.")


class OrderFailed(PostalError):
    code = "postal_order_failed"
    message = _("Không đặt được đơn với bưu điện. Vui lòng thử lại sau.")
    http_status = 502


class TrackingNumberInvalid(PostalError):
    code = "tracking_number_invalid"
    message = _(
        "Số hiệu bưu gửi không hợp lệ: gồm 2 chữ cái, 9 chữ số (chữ số cuối là số kiểm tra) "
        "và mã nước, ví dụ EB123456785VN."
    )


class TrackingNumberUsed(PostalError):
    code = "tracking_number_used"
    message = _("Số hiệu bưu gửi này đã được ghi cho một bưu gửi khác.")
    http_status = 409
