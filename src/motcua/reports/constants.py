"""Report columns, indicator ids and submission states (docs/DOMAIN.md §5–§6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The counted columns of the monthly report, in the order of the form (docs/ARCHITECTURE.md §4 keys first).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("carried_over", _("Từ kỳ trước chuyển qua")),
    ("received_online", _("Tiếp nhận trực tuyến")),
    ("received_direct", _("Tiếp nhận trực tiếp")),
    ("received_postal", _("Tiếp nhận qua bưu chính công ích")),
    ("resolved_early", _("Giải quyết trước hạn")),
    ("resolved_on_time", _("Giải quyết đúng hạn")),
    ("resolved_late", _("Giải quyết quá hạn")),
    ("pending_within_deadline", _("Đang giải quyết trong hạn")),
    ("pending_overdue", _("Đang giải quyết quá hạn")),
    ("withdrawn", _("Rút hồ sơ")),
    ("refused", _("Từ chối tiếp nhận")),
    ("stopped", _("Dừng xử lý")),
    ("apologies", _("Văn bản xin lỗi đã phát hành")),
    ("late_with_apology", _("Quá hạn có xin lỗi")),
    ("late_without_apology", _("Quá hạn không xin lỗi")),
    ("paid_online", _("Thanh toán trực tuyến")),
    ("postal_pickups", _("Nhận hồ sơ qua bưu chính")),
    ("postal_deliveries", _("Trả kết quả qua bưu chính")),
)
COLUMN_KEYS: tuple[str, ...] = tuple(key for key, _label in COLUMNS)

# Sums of columns, shown and linked like the others.
DERIVED: dict[str, tuple[str, ...]] = {
    "received_new": ("received_online", "received_direct", "received_postal"),
    "received_total": ("carried_over", "received_online", "received_direct", "received_postal"),
    "resolved": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending": ("pending_within_deadline", "pending_overdue"),
}
DERIVED_LABELS: dict[str, str] = {
    "received_new": _("Tiếp nhận mới trong kỳ"),
    "received_total": _("Tổng số hồ sơ nhận giải quyết"),
    "resolved": _("Tổng số đã giải quyết"),
    "pending": _("Tổng số đang giải quyết"),
}

# Aggregates kept for the indicators (not columns of the form).
KPI_AGGREGATES: tuple[str, ...] = (
    "postal_any",  # received in the period, and received or to be returned by post
    "fee_dossiers",  # received in the period with a fee to pay
    "fee_paid_online",  # … of which paid online
    "e_results",  # resolved in the period with an electronic result
    "digitised",  # received in the period and digitised
    "national_ok_finished",  # resolved/stopped in time, at most one supplement (766 · 2.1)
    "national_ok_pending",  # open at the period's end, in time, at most one supplement
)
ALL_AGGREGATES: tuple[str, ...] = COLUMN_KEYS + KPI_AGGREGATES

# How a period made of consecutive months takes each aggregate from its months: a stock at the
# start comes from the first month, a stock at the end from the last one, every other aggregate
# (a flow: something that happened at one moment of the period) is the sum over the months.
STOCK_AT_START: tuple[str, ...] = ("carried_over",)
STOCK_AT_END: tuple[str, ...] = (
    "pending_within_deadline",
    "pending_overdue",
    "national_ok_pending",
)


# Aggregates that are not columns but whose dossiers a page lists (an indicator's numerator).
LISTED_AGGREGATE_LABELS: dict[str, str] = {
    "postal_any": _("Tiếp nhận hoặc trả kết quả qua bưu chính công ích"),
}


def column_label(key: str) -> str:
    labels = dict(COLUMNS) | DERIVED_LABELS | LISTED_AGGREGATE_LABELS
    return str(labels[key])


# Directive 08/CT-UBND indicators (docs/ARCHITECTURE.md §4 ids); targets come from MOTCUA_KPI_TARGETS.
DIRECTIVE_INDICATORS: tuple[tuple[str, str], ...] = (
    ("procedures_level34_share", _("Tỷ lệ thủ tục cung cấp trực tuyến mức độ 3, 4")),
    ("procedures_level4_share", _("Tỷ lệ thủ tục cung cấp trực tuyến mức độ 4")),
    ("dossiers_online_share", _("Tỷ lệ hồ sơ tiếp nhận trực tuyến (thủ tục mức độ 3, 4)")),
    ("dossiers_postal_share", _("Tỷ lệ hồ sơ tiếp nhận hoặc trả kết quả qua bưu chính công ích")),
    ("online_payment_coverage", _("Tỷ lệ thủ tục có phí, lệ phí được thanh toán trực tuyến")),
    ("integration_coverage", _("Tỷ lệ thủ tục xử lý trên phần mềm chuyên ngành đã tích hợp")),
    ("on_time_rate", _("Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn")),
    ("late_apology_rate", _("Tỷ lệ hồ sơ quá hạn có văn bản xin lỗi")),
)

# Decision 766/QĐ-TTg: (id, group, name, full-score threshold, max points) for what our data
# supports. Group weights 18/20/22/22/18; per-indicator maxima are not published, so the group's
# points are shared by its national indicators (5.4: 6 points, as seen in provincial guides).
GROUP_WEIGHTS: dict[int, int] = {1: 18, 2: 20, 3: 22, 4: 22, 5: 18}
GROUP_NAMES: dict[int, str] = {
    1: _("Công khai, minh bạch"),
    2: _("Tiến độ, kết quả giải quyết"),
    3: _("Cung cấp dịch vụ trực tuyến"),
    4: _("Số hoá hồ sơ"),
    5: _("Mức độ hài lòng"),
}
QUALITY_INDICATORS: tuple[tuple[str, int, str, float, float], ...] = (
    ("2.1", 2, _("Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn"), 1.00, 10.0),
    ("3.1", 3, _("Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến"), 0.80, 4.4),
    ("3.3", 3, _("Tỷ lệ hồ sơ trực tuyến"), 0.50, 4.4),
    ("3.5", 3, _("Tỷ lệ thủ tục có nghĩa vụ tài chính được thanh toán trực tuyến"), 0.80, 4.4),
    ("3.6", 3, _("Tỷ lệ hồ sơ thanh toán trực tuyến"), 1.00, 4.4),
    ("4.1", 4, _("Tỷ lệ hồ sơ có cấp kết quả điện tử"), 1.00, 4.4),
    ("4.2", 4, _("Tỷ lệ hồ sơ thực hiện số hoá"), 0.80, 4.4),
    ("5.4", 5, _("Tỷ lệ hài lòng trong tiếp nhận, giải quyết thủ tục hành chính"), 0.90, 6.0),
)


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đã lập, chưa gửi")
    SUBMITTED = "submitted", _("Đã gửi")
