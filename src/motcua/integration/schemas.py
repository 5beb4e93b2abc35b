"""Request and response schemas of API v1 (pydantic via ninja): shapes, examples, descriptions.

Descriptions are Vietnamese first, English after " / ". No business rule lives here.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from motcua.dossiers.constants import (
    ApplicantKind,
    AttachmentKind,
    Channel,
    DossierStatus,
    ResultDelivery,
)

from .constants import ALL_EVENTS, CLIENT_ACTIONS, EVENT_TYPES

ChannelEnum = Enum("ChannelEnum", {c.upper(): c for c in Channel.values}, type=str)  # type: ignore[misc]
StatusEnum = Enum("StatusEnum", {s.upper(): s for s in DossierStatus.values}, type=str)  # type: ignore[misc]
DeliveryEnum = Enum("DeliveryEnum", {d.upper(): d for d in ResultDelivery.values}, type=str)  # type: ignore[misc]
ApplicantKindEnum = Enum(  # type: ignore[misc]
    "ApplicantKindEnum", {k.upper(): k for k in ApplicantKind.values}, type=str
)
AttachmentKindEnum = Enum(  # type: ignore[misc]
    "AttachmentKindEnum", {k.upper(): k for k in AttachmentKind.values}, type=str
)
ActionEnum = Enum("ActionEnum", {a.upper(): a for a in CLIENT_ACTIONS}, type=str)  # type: ignore[misc]
EventTypeEnum = Enum(  # type: ignore[misc]
    "EventTypeEnum",
    {t.replace(".", "_").replace("*", "ALL").upper(): t for t in (ALL_EVENTS, *EVENT_TYPES)},
    type=str,
)

CODE_EXAMPLE = "000.00.21.H16-250714-0001"


# --- Errors ---------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(
        ...,
        description="Mã lỗi ổn định / Stable error code",
        examples=["illegal_transition"],
    )
    message: str = Field(
        ...,
        description="Thông báo tiếng Việt / Human-readable message (Vietnamese)",
        examples=["Thao tác này không được phép ở trạng thái hiện tại của hồ sơ."],
    )
    details: dict[str, Any] = Field(
        default_factory=dict,
        description="Chi tiết theo từng trường / Details, per field",
        examples=[{"status": "returned", "action": "accept"}],
    )


class ErrorOut(Schema):
    """Mọi lỗi có cùng dạng / Every error has this shape."""

    error: ErrorBody


# --- Catalogue ------------------------------------------------------------------------------


class FeeOut(Schema):
    name: str = Field(..., description="Tên phí, lệ phí / Fee name", examples=["Lệ phí"])
    amount: int = Field(..., description="Mức thu (đồng) / Amount (VND)", examples=[50000])
    online_amount: int | None = Field(
        None,
        description="Mức thu khi nộp trực tuyến / Amount when submitted online",
        examples=[0],
    )


class RequiredDocumentOut(Schema):
    id: int = Field(..., description="Mã thành phần / Document id", examples=[12])
    name: str = Field(..., description="Tên giấy tờ / Name", examples=["Tờ khai đăng ký khai sinh"])
    originals: int = Field(..., description="Số bản chính / Originals", examples=[1])
    copies: int = Field(..., description="Số bản sao / Copies", examples=[0])
    mandatory: bool = Field(..., description="Bắt buộc / Mandatory", examples=[True])


class ProcedureOut(Schema):
    code: str = Field(..., description="Mã thủ tục / Procedure code", examples=["1.001193"])
    name: str = Field(..., description="Tên thủ tục / Name", examples=["Thủ tục đăng ký khai sinh"])
    field: str = Field(..., description="Lĩnh vực / Field", examples=["Hộ tịch"])
    gov_level: str = Field(
        ..., description="Cấp thực hiện / Level of government", examples=["commune"]
    )
    online_level: int = Field(
        ..., description="Mức độ DVCTT (1–4) / Online level", examples=[4], ge=1, le=4
    )
    mode: str = Field(..., description="Một phần / toàn trình / Online mode", examples=["full"])
    processing_time: int = Field(..., description="Thời hạn / Time limit", examples=[3])
    time_unit: str = Field(
        ..., description="Đơn vị thời hạn / Time unit", examples=["working_days"]
    )


class ProcedureDetailOut(ProcedureOut):
    steps: str = Field("", description="Trình tự thực hiện / Steps")
    methods: str = Field("", description="Cách thức thực hiện / How to apply")
    applicants: str = Field("", description="Đối tượng thực hiện / Who may apply")
    requirements: str = Field("", description="Yêu cầu, điều kiện / Requirements")
    result: str = Field("", description="Kết quả / Result")
    legal_basis: str = Field("", description="Căn cứ pháp lý / Legal basis")
    accepts_postal_pickup: bool = Field(..., description="Nhận hồ sơ qua bưu chính / Postal intake")
    accepts_postal_return: bool = Field(
        ..., description="Trả kết quả qua bưu chính / Postal return"
    )
    agencies: list[str] = Field(
        default_factory=list,
        description="Mã cơ quan thực hiện / Performing agencies' codes",
        examples=[["000.00.21.H16"]],
    )
    fees: list[FeeOut] = Field(default_factory=list, description="Phí, lệ phí / Fees")
    required_documents: list[RequiredDocumentOut] = Field(
        default_factory=list, description="Thành phần hồ sơ / Required documents"
    )


class ProcedurePageOut(Schema):
    items: list[ProcedureOut]
    count: int = Field(..., description="Tổng số kết quả / Total matches", examples=[3])
    page: int = Field(..., description="Trang hiện tại / Page number", examples=[1])
    pages: int = Field(..., description="Số trang / Number of pages", examples=[1])


# --- Dossiers -------------------------------------------------------------------------------


class ApplicantIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        ...,
        min_length=1,
        max_length=200,
        description="Họ tên người nộp / Applicant's full name",
        examples=["Nguyễn Văn An"],
    )
    kind: ApplicantKindEnum = Field(  # type: ignore[valid-type]
        ApplicantKindEnum(ApplicantKind.PERSON.value),
        description="Cá nhân hay tổ chức / Person or business",
    )
    citizen_id: str = Field(
        "",
        pattern=r"^(\d{12})?$",
        description="Số định danh cá nhân (12 số) / Personal identification number",
        examples=["066090001234"],
    )
    phone: str = Field("", max_length=15, description="Điện thoại / Phone", examples=["0912345678"])
    email: str = Field(
        "", max_length=254, description="Thư điện tử / E-mail", examples=["an@example.vn"]
    )
    address: str = Field(
        "", max_length=500, description="Địa chỉ / Address", examples=["Buôn Ma Thuột"]
    )
    tax_code: str = Field("", max_length=14, description="Mã số thuế / Tax code")
    organisation: str = Field("", max_length=255, description="Tên tổ chức / Organisation")


class DocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        ...,
        min_length=1,
        max_length=255,
        description="Tên tệp / File name",
        examples=["to-khai.pdf"],
    )
    content_base64: str = Field(
        ...,
        min_length=1,
        description="Nội dung tệp mã hoá base64 (PDF, JPEG, PNG, DOC, DOCX) / File content, base64",
        examples=["JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK"],
    )
    required_document: int | None = Field(
        None,
        description="Thành phần hồ sơ tương ứng (id) / Which required document it is",
        examples=[12],
    )


class DossierCreateIn(Schema):
    """Hồ sơ từ kênh khác (Cổng DVC quốc gia, ki-ốt, quầy) / A dossier from another channel."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "procedure": "1.001193",
                    "agency": "000.00.21.H16",
                    "channel": "online",
                    "external_code": "G22.99-250714-000123",
                    "applicant": {"name": "Nguyễn Văn An", "citizen_id": "066090001234"},
                    "form_data": {},
                    "result_delivery": "online",
                    "documents": [],
                }
            ]
        },
    )

    procedure: str = Field(
        ...,
        min_length=1,
        max_length=40,
        description="Mã thủ tục / Procedure code",
        examples=["1.001193"],
    )
    agency: str = Field(
        ...,
        min_length=1,
        max_length=32,
        description="Mã cơ quan tiếp nhận / Receiving agency code",
        examples=["000.00.21.H16"],
    )
    channel: ChannelEnum = Field(  # type: ignore[valid-type]
        ChannelEnum(Channel.ONLINE.value),
        description=(
            "online: chờ tiếp nhận (Cổng DVC quốc gia, ki-ốt); direct/postal: tiếp nhận ngay / "
            "online: waits for reception; direct/postal: received at once"
        ),
    )
    external_code: str = Field(
        "",
        max_length=64,
        description="Mã hồ sơ trên Cổng DVC quốc gia / Code on the national portal",
        examples=["G22.99-250714-000123"],
    )
    applicant: ApplicantIn
    form_data: dict[str, Any] = Field(
        default_factory=dict, description="Dữ liệu tờ khai điện tử / E-form data"
    )
    result_delivery: DeliveryEnum = Field(  # type: ignore[valid-type]
        DeliveryEnum(ResultDelivery.IN_PERSON.value),
        description="Hình thức nhận kết quả / How the result is returned",
    )
    documents: list[DocumentIn] = Field(
        default_factory=list,
        max_length=50,
        description="Thành phần hồ sơ / The dossier's documents",
    )


class UnitRef(Schema):
    code: str = Field(..., description="Mã định danh / Agency code", examples=["000.00.21.H16"])
    name: str = Field(..., description="Tên / Name", examples=["Sở Tư pháp"])


class ProcedureRef(Schema):
    code: str = Field(..., description="Mã thủ tục / Procedure code", examples=["1.001193"])
    name: str = Field(..., description="Tên thủ tục / Name", examples=["Thủ tục đăng ký khai sinh"])


class StepOut(Schema):
    order: int = Field(..., description="Thứ tự / Order", examples=[1])
    name: str = Field(..., description="Tên bước / Step", examples=["Thẩm định"])
    unit: str = Field(..., description="Đơn vị xử lý / Unit code", examples=["000.01.21.H16"])
    started_at: dt.datetime = Field(..., description="Nhận lúc / Started")
    due_at: dt.datetime | None = Field(None, description="Hạn bước / Step due")
    finished_at: dt.datetime | None = Field(None, description="Xong lúc / Finished")
    timing: str = Field(
        "", description="Sớm/đúng/trễ hạn / early, on_time, late", examples=["on_time"]
    )
    note: str = Field("", description="Ghi chú / Note")


class AttachmentOut(Schema):
    id: int = Field(..., description="Mã tệp / Attachment id", examples=[7])
    kind: str = Field(..., description="Loại tệp / Kind", examples=["application"])
    name: str = Field(..., description="Tên tệp / File name", examples=["to-khai.pdf"])
    size: int = Field(..., description="Kích thước (byte) / Size in bytes", examples=[48213])
    content_type: str = Field(
        ..., description="Kiểu nội dung / Content type", examples=["application/pdf"]
    )
    sha256: str = Field(..., description="SHA-256 của nội dung / SHA-256 of the content")
    created_at: dt.datetime = Field(..., description="Tải lên lúc / Uploaded at")


class DossierOut(Schema):
    code: str = Field(..., description="Mã hồ sơ / Dossier code", examples=[CODE_EXAMPLE])
    external_code: str = Field("", description="Mã trên Cổng DVC quốc gia / National portal code")
    procedure: ProcedureRef
    agency: UnitRef = Field(..., description="Cơ quan tiếp nhận / Receiving agency")
    channel: str = Field(..., description="Kênh / Channel", examples=["online"])
    status: str = Field(..., description="Trạng thái / Status", examples=["received"])
    status_label: str = Field(
        ..., description="Tên trạng thái / Status name", examples=["Đã tiếp nhận"]
    )
    version: int = Field(
        ...,
        description="Phiên bản, gửi lại trong expected_version / Version for optimistic locking",
        examples=[3],
    )
    applicant_name: str = Field(
        ..., description="Người nộp / Applicant", examples=["Nguyễn Văn An"]
    )
    submitted_at: dt.datetime | None = Field(None, description="Nộp lúc / Submitted at")
    received_at: dt.datetime | None = Field(None, description="Tiếp nhận lúc (t0) / Received at")
    due_at: dt.datetime | None = Field(None, description="Hẹn trả / Appointment (due)")
    finished_at: dt.datetime | None = Field(None, description="Kết thúc xử lý / Finished at")
    returned_at: dt.datetime | None = Field(None, description="Trả kết quả lúc / Returned at")
    timing: str = Field("", description="Sớm/đúng/trễ hạn / early, on_time, late")
    fee_total: int = Field(0, description="Tổng phí, lệ phí (đồng) / Fees (VND)", examples=[0])
    paid_online: bool = Field(False, description="Đã thanh toán trực tuyến / Paid online")
    is_digitised: bool = Field(False, description="Đã số hoá / Digitised")
    has_e_result: bool = Field(False, description="Có kết quả điện tử / Has an e-result")
    created_at: dt.datetime = Field(..., description="Tạo lúc / Created at")
    updated_at: dt.datetime = Field(..., description="Cập nhật lúc / Updated at")


class InvoiceOut(Schema):
    reference: str = Field(
        ..., description="Mã thanh toán / Invoice reference", examples=["TT4K7Q2M9XHD"]
    )
    amount: int = Field(..., description="Số tiền (đồng) / Amount in VND", examples=[50000])
    status: str = Field(..., description="Trạng thái / Status", examples=["paid"])
    provider: str = Field(
        "", description="vnpay, vietqr, cash (rỗng: chưa chọn) / empty: not chosen"
    )
    stage: str = Field(..., description="submission, acceptance, result")
    paid_at: dt.datetime | None = Field(None, description="Thời điểm thanh toán / Paid at")
    receipt_no: str | None = Field(None, description="Số biên lai điện tử / E-receipt number")
    qr_payload: str | None = Field(
        None, description="Chuỗi VietQR (EMVCo) khi thanh toán chuyển khoản / VietQR payload"
    )
    dossier: str = Field(..., description="Mã hồ sơ / Dossier code")


class DossierDetailOut(DossierOut):
    current_step: StepOut | None = Field(None, description="Bước hiện tại / Current step")
    steps: list[StepOut] = Field(default_factory=list, description="Các bước / Steps so far")
    attachments: list[AttachmentOut] = Field(default_factory=list, description="Tệp / Attachments")
    invoices: list[InvoiceOut] = Field(
        default_factory=list,
        description="Hoá đơn phí, lệ phí (khoá có payments:read) / Invoices (payments:read keys)",
    )
    available_actions: list[str] = Field(
        default_factory=list,
        description="Thao tác khoá này được làm ngay bây giờ / Actions this key may take now",
        examples=[["start", "withdraw"]],
    )


class DossierPageOut(Schema):
    items: list[DossierOut]
    next_cursor: str | None = Field(
        None,
        description=(
            "Gửi lại trong ?cursor= để lấy trang sau; vẫn dùng được khi trang trống (thăm dò) / "
            "Pass as ?cursor= for the next page; keep it to poll for later changes"
        ),
        examples=["eyJ1IjoiMjAyNS0wNy0xNFQwMTowMDowMCswMDowMCIsImkiOjQyfQ"],
    )
    has_more: bool = Field(..., description="Còn trang sau / More rows now", examples=[False])


class ActionIn(Schema):
    """Tham số của thao tác; mỗi thao tác dùng một phần / Parameters; each action uses some."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"expected_version": 3, "note": "Đã thẩm định"}]},
    )

    expected_version: int | None = Field(
        None,
        ge=0,
        le=2_000_000_000,
        description="Phiên bản đã đọc; khác thì 409 stale_dossier / Version read; 409 if changed",
        examples=[3],
    )
    note: str | None = Field(None, max_length=2000, description="Ghi chú / Note")
    reason: str | None = Field(
        None,
        max_length=4000,
        description="Lý do (refuse, deny, stop, apologise, withdraw) / Reason",
    )
    items: list[str] | None = Field(
        None,
        max_length=50,
        description="Nội dung cần bổ sung (request_supplement) / What must be supplemented",
        examples=[["Bản sao giấy khai sinh"]],
    )
    assignee: str | None = Field(
        None, max_length=150, description="Tên đăng nhập cán bộ nhận / Assignee's username"
    )
    to_unit: str | None = Field(
        None, max_length=32, description="Mã đơn vị nhận (forward) / Unit to forward to"
    )
    step_name: str | None = Field(
        None, max_length=255, description="Tên bước (forward) / Step name"
    )
    hours: int | None = Field(
        None, ge=1, le=10000, description="Số giờ làm việc của bước / Working hours for the step"
    )
    new_due_at: dt.datetime | None = Field(
        None, description="Ngày hẹn lại (apologise) / New appointment"
    )
    delivery: DeliveryEnum | None = Field(  # type: ignore[valid-type]
        None, description="Hình thức trả (return_result) / How the result was returned"
    )
    collector: str | None = Field(
        None, max_length=200, description="Người nhận kết quả / Who collected the result"
    )
    form_data: dict[str, Any] | None = Field(None, description="Tờ khai (submit) / E-form data")
    documents: list[DocumentIn] = Field(
        default_factory=list,
        max_length=20,
        description="Tệp kết quả (approve) / Result documents",
    )


class LookupOut(Schema):
    """Tra cứu công khai, tối thiểu / Public lookup, minimal."""

    code: str = Field(..., description="Mã hồ sơ / Dossier code", examples=[CODE_EXAMPLE])
    status: str = Field(..., description="Trạng thái / Status", examples=["processing"])
    status_label: str = Field(
        ..., description="Tên trạng thái / Status name", examples=["Đang xử lý"]
    )
    appointment_at: dt.datetime | None = Field(
        None, description="Ngày hẹn trả kết quả / Appointment for the result"
    )


# --- Webhooks -------------------------------------------------------------------------------


class WebhookIn(Schema):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://phanmem.bo.gov.vn/motcua/webhook",
                    "event_types": ["dossier.submit", "dossier.receive_direct"],
                    "procedures": ["1.001193"],
                }
            ]
        },
    )

    url: str = Field(
        ...,
        min_length=8,
        max_length=500,
        pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$",
        description="Địa chỉ http(s) nhận sự kiện / http(s) URL receiving events",
        examples=["https://phanmem.bo.gov.vn/motcua/webhook"],
    )
    event_types: list[EventTypeEnum] = Field(  # type: ignore[valid-type]
        default_factory=list,
        max_length=40,
        description="Loại sự kiện; trống = tất cả / Event types; empty = all (dossier.*)",
    )
    procedures: list[str] = Field(
        default_factory=list,
        max_length=200,
        description="Chỉ các thủ tục này; trống = mọi thủ tục trong phạm vi / Only these procedures",
    )


class WebhookOut(Schema):
    id: str = Field(..., description="Mã đăng ký / Subscription id")
    url: str = Field(..., description="Địa chỉ nhận / URL")
    event_types: list[str] = Field(..., description="Loại sự kiện / Event types")
    procedures: list[str] = Field(default_factory=list, description="Thủ tục / Procedures")
    created_at: dt.datetime = Field(..., description="Tạo lúc / Created at")


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(
        ...,
        description=("Khoá ký HMAC, chỉ hiện một lần / HMAC signing secret, shown only once"),
        examples=["whsec_3q2+7w…"],
    )


class WebhookDeliveryOut(Schema):
    id: int = Field(..., description="Mã lần gửi (X-Motcua-Delivery) / Delivery id")
    event_type: str = Field(
        ..., description="Loại sự kiện / Event type", examples=["dossier.accept"]
    )
    dossier: str = Field(..., description="Mã hồ sơ / Dossier code")
    seq: int = Field(..., description="Số thứ tự sự kiện của hồ sơ / Event sequence in the dossier")
    status: str = Field(..., description="pending / succeeded / failed")
    attempts: int = Field(..., description="Số lần gửi / Attempts")
    next_attempt_at: dt.datetime = Field(..., description="Lần gửi tiếp / Next attempt")
    last_status_code: int | None = Field(None, description="Mã phản hồi cuối / Last HTTP status")
    delivered_at: dt.datetime | None = Field(None, description="Thành công lúc / Delivered at")


# --- National sync --------------------------------------------------------------------------


class SyncStateOut(Schema):
    dossier: str = Field(..., description="Mã hồ sơ / Dossier code", examples=[CODE_EXAMPLE])
    status: str = Field(..., description="pending / synced / retrying", examples=["synced"])
    acked_version: int = Field(..., description="Phiên bản đã xác nhận / Acknowledged version")
    synced_at: dt.datetime | None = Field(None, description="Đồng bộ lúc / Synced at")
    attempts: int = Field(..., description="Số lần thử liên tiếp / Consecutive attempts")


class SandboxAckOut(Schema):
    ack: bool = Field(..., description="Đã nhận / Acknowledged", examples=[True])
    id: int = Field(..., description="Mã bản ghi đã nhận / Receipt id", examples=[1])


class SandboxRecordIn(Schema):
    """Bản ghi đồng bộ (xem national_payload) / A sync record (see delivery.national_payload)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "examples": [{"MaHoSo": CODE_EXAMPLE, "MaTTHC": "1.001193", "KenhThucHien": 2}]
        },
    )

    MaHoSo: str = Field(
        ...,
        min_length=1,
        max_length=48,
        description="Mã hồ sơ / Dossier code",
        examples=[CODE_EXAMPLE],
    )
