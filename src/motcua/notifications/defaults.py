"""The texts every installation starts with; the admin's templates override them.

One text per event serves e-mail, Zalo and the in-app notice; SMS has its own, short enough for two
UCS-2 segments once filled (docs/NOTIFICATIONS.md §3). `{{ ... }}` names are those of
templating.VARIABLES.
"""

from __future__ import annotations

from dataclasses import dataclass

from .constants import Channel, Event


@dataclass(frozen=True)
class Text:
    subject_vi: str
    body_vi: str
    sms_vi: str
    subject_en: str
    body_en: str
    sms_en: str

    def for_channel(self, channel: str) -> tuple[str, str, str, str]:
        """(subject_vi, body_vi, subject_en, body_en) of the channel."""
        if channel == Channel.SMS:
            return "", self.sms_vi, "", self.sms_en
        return self.subject_vi, self.body_vi, self.subject_en, self.body_en


_HELLO_VI = "Kính gửi {{ nguoi_nhan }},\n\n"
_HELLO_EN = "Dear {{ nguoi_nhan }},\n\n"
_SEE_VI = "\n\nXem hồ sơ: {{ duong_dan }}\n\n{{ ten_he_thong }}"
_SEE_EN = "\n\nSee the dossier: {{ duong_dan }}\n\n{{ ten_he_thong }}"

DEFAULTS: dict[str, Text] = {
    Event.SUBMITTED: Text(
        "Đã nộp hồ sơ {{ ma_ho_so }}",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) đã được nộp lúc {{ ngay_nop }} và "
        "đang chờ {{ co_quan }} tiếp nhận." + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} đã nộp, chờ tiếp nhận. {{ duong_dan }}",
        "Dossier {{ ma_ho_so }} submitted",
        _HELLO_EN + "Dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) was submitted at {{ ngay_nop }} "
        "and is waiting for {{ co_quan }} to receive it." + _SEE_EN,
        "Dossier {{ ma_ho_so }} submitted, awaiting reception. {{ duong_dan }}",
    ),
    Event.RECEIVED: Text(
        "Đã tiếp nhận hồ sơ {{ ma_ho_so }}, hẹn trả {{ hen_tra }}",
        _HELLO_VI + "{{ co_quan }} đã tiếp nhận hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}). "
        "Ngày hẹn trả kết quả: {{ hen_tra }}." + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} đã được tiếp nhận, hẹn trả {{ hen_tra }}.",
        "Dossier {{ ma_ho_so }} received, result due {{ hen_tra }}",
        _HELLO_EN + "{{ co_quan }} received dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}). "
        "The result is due on {{ hen_tra }}." + _SEE_EN,
        "Dossier {{ ma_ho_so }} received, result due {{ hen_tra }}.",
    ),
    Event.SUPPLEMENT_REQUESTED: Text(
        "Hồ sơ {{ ma_ho_so }} cần bổ sung",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) cần bổ sung:\n{{ danh_sach_bo_sung }}"
        "\n\n{{ ly_do }}" + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} cần bổ sung giấy tờ: {{ duong_dan }}",
        "Dossier {{ ma_ho_so }} needs more documents",
        _HELLO_EN + "Dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) needs:\n{{ danh_sach_bo_sung }}"
        "\n\n{{ ly_do }}" + _SEE_EN,
        "Dossier {{ ma_ho_so }} needs more documents. Details: {{ duong_dan }}",
    ),
    Event.REFUSED: Text(
        "Hồ sơ {{ ma_ho_so }} không được tiếp nhận",
        _HELLO_VI + "{{ co_quan }} từ chối tiếp nhận hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}).\n"
        "Lý do: {{ ly_do }}" + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} không được tiếp nhận, xem {{ duong_dan }}",
        "Dossier {{ ma_ho_so }} was not accepted",
        _HELLO_EN + "{{ co_quan }} refused dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}).\n"
        "Reason: {{ ly_do }}" + _SEE_EN,
        "Dossier {{ ma_ho_so }} refused. See why: {{ duong_dan }}",
    ),
    Event.APOLOGY: Text(
        "Thư xin lỗi: hồ sơ {{ ma_ho_so }} hẹn lại ngày {{ hen_tra_moi }}",
        _HELLO_VI
        + "{{ co_quan }} xin lỗi vì hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) không có kết "
        "quả đúng hẹn {{ hen_tra_cu }}.\nLý do: {{ ly_do }}\nNgày hẹn trả mới: {{ hen_tra_moi }}."
        + _SEE_VI,
        "Xin lỗi: hồ sơ {{ ma_ho_so }} chậm hẹn, hẹn trả mới {{ hen_tra_moi }}.",
        "Apology: dossier {{ ma_ho_so }} now due {{ hen_tra_moi }}",
        _HELLO_EN + "{{ co_quan }} apologises: dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) missed "
        "its date {{ hen_tra_cu }}.\nReason: {{ ly_do }}\nNew date: {{ hen_tra_moi }}." + _SEE_EN,
        "Apology: dossier {{ ma_ho_so }} is late, now due {{ hen_tra_moi }}.",
    ),
    Event.RESULT_READY: Text(
        "Đã có kết quả hồ sơ {{ ma_ho_so }}",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) đã có kết quả.\n"
        "Cách nhận: {{ cach_nhan }}" + _SEE_VI,
        "Đã có kết quả hồ sơ {{ ma_ho_so }}, cách nhận: {{ duong_dan }}",
        "The result of dossier {{ ma_ho_so }} is ready",
        _HELLO_EN + "The result of dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) is ready.\n"
        "How to collect it: {{ cach_nhan }}" + _SEE_EN,
        "Result of dossier {{ ma_ho_so }} is ready, how to collect: {{ duong_dan }}",
    ),
    Event.RETURNED: Text(
        "Đã trả kết quả hồ sơ {{ ma_ho_so }}",
        _HELLO_VI + "Kết quả hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) đã được trả "
        "({{ cach_nhan }}). Mời ông/bà đánh giá mức độ hài lòng trên cổng dịch vụ công." + _SEE_VI,
        "Đã trả kết quả hồ sơ {{ ma_ho_so }}. Cảm ơn ông/bà.",
        "Result of dossier {{ ma_ho_so }} returned",
        _HELLO_EN + "The result of dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) was returned "
        "({{ cach_nhan }}). Please rate the service on the portal." + _SEE_EN,
        "Result of dossier {{ ma_ho_so }} returned. Thank you.",
    ),
    Event.PAYMENT_DUE: Text(
        "Hồ sơ {{ ma_ho_so }}: cần nộp {{ so_tien }}",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) cần nộp {{ noi_dung_phi }}: "
        "{{ so_tien }}.\nThanh toán trực tuyến: {{ duong_dan_thanh_toan }}" + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} cần nộp {{ so_tien }}: {{ duong_dan_thanh_toan }}",
        "Dossier {{ ma_ho_so }}: {{ so_tien }} to pay",
        _HELLO_EN + "Dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) has {{ noi_dung_phi }} to pay: "
        "{{ so_tien }}.\nPay online: {{ duong_dan_thanh_toan }}" + _SEE_EN,
        "Dossier {{ ma_ho_so }}: pay {{ so_tien }} at {{ duong_dan_thanh_toan }}",
    ),
    Event.PAYMENT_RECEIVED: Text(
        "Đã nhận {{ so_tien }} cho hồ sơ {{ ma_ho_so }}",
        _HELLO_VI + "Đã nhận {{ so_tien }} phí, lệ phí của hồ sơ {{ ma_ho_so }} "
        "({{ ten_thu_tuc }}). Biên lai số {{ so_bien_lai }}." + _SEE_VI,
        "Đã nhận {{ so_tien }} cho hồ sơ {{ ma_ho_so }}, biên lai {{ so_bien_lai }}.",
        "{{ so_tien }} received for dossier {{ ma_ho_so }}",
        _HELLO_EN + "We received {{ so_tien }} in fees for dossier {{ ma_ho_so }} "
        "({{ ten_thu_tuc }}). Receipt number {{ so_bien_lai }}." + _SEE_EN,
        "Received {{ so_tien }} for dossier {{ ma_ho_so }}, receipt {{ so_bien_lai }}.",
    ),
    Event.SHIPMENT_SENT: Text(
        "Hồ sơ {{ ma_ho_so }}: bưu gửi {{ ma_buu_gui }} đã gửi đi",
        _HELLO_VI + "Bưu gửi {{ ma_buu_gui }} ({{ chieu }}) của hồ sơ {{ ma_ho_so }} đã được "
        "bưu điện nhận và đang chuyển." + _SEE_VI,
        "Bưu gửi {{ ma_buu_gui }} ({{ chieu }}) của hồ sơ {{ ma_ho_so }} đang được chuyển.",
        "Dossier {{ ma_ho_so }}: parcel {{ ma_buu_gui }} on its way",
        _HELLO_EN + "Parcel {{ ma_buu_gui }} ({{ chieu }}) of dossier {{ ma_ho_so }} was taken "
        "by the post and is on its way." + _SEE_EN,
        "Parcel {{ ma_buu_gui }} ({{ chieu }}) of dossier {{ ma_ho_so }} is on its way.",
    ),
    Event.SHIPMENT_DELIVERED: Text(
        "Hồ sơ {{ ma_ho_so }}: bưu gửi {{ ma_buu_gui }} đã phát",
        _HELLO_VI
        + "Bưu gửi {{ ma_buu_gui }} ({{ chieu }}) của hồ sơ {{ ma_ho_so }} đã được phát."
        + _SEE_VI,
        "Bưu gửi {{ ma_buu_gui }} ({{ chieu }}) của hồ sơ {{ ma_ho_so }} đã được phát.",
        "Dossier {{ ma_ho_so }}: parcel {{ ma_buu_gui }} delivered",
        _HELLO_EN
        + "Parcel {{ ma_buu_gui }} ({{ chieu }}) of dossier {{ ma_ho_so }} was delivered."
        + _SEE_EN,
        "Parcel {{ ma_buu_gui }} ({{ chieu }}) of dossier {{ ma_ho_so }} delivered.",
    ),
    Event.TASK_ASSIGNED: Text(
        "Hồ sơ mới cần xử lý: {{ ma_ho_so }}",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) đã chuyển đến bước «{{ buoc }}». "
        "Hạn trả kết quả: {{ hen_tra }}." + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} chờ xử lý ở bước {{ buoc }}, hạn {{ hen_tra }}.",
        "New dossier to process: {{ ma_ho_so }}",
        _HELLO_EN + "Dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) is now at the step «{{ buoc }}». "
        "The result is due on {{ hen_tra }}." + _SEE_EN,
        "Dossier {{ ma_ho_so }} waits at step {{ buoc }}, due {{ hen_tra }}.",
    ),
    Event.DUE_SOON: Text(
        "Sắp đến hạn: hồ sơ {{ ma_ho_so }} (hạn {{ hen_tra }})",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) ở bước «{{ buoc }}» còn chưa đến "
        "một ngày làm việc: hạn trả kết quả {{ hen_tra }}." + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} sắp đến hạn ({{ hen_tra }}).",
        "Due soon: dossier {{ ma_ho_so }} (due {{ hen_tra }})",
        _HELLO_EN + "Dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) at the step «{{ buoc }}» has less "
        "than one working day left: due {{ hen_tra }}." + _SEE_EN,
        "Dossier {{ ma_ho_so }} is due soon ({{ hen_tra }}).",
    ),
    Event.OVERDUE: Text(
        "Quá hạn: hồ sơ {{ ma_ho_so }} (hạn {{ hen_tra }})",
        _HELLO_VI + "Hồ sơ {{ ma_ho_so }} ({{ ten_thu_tuc }}) ở bước «{{ buoc }}» đã quá hạn trả "
        "kết quả {{ hen_tra }}. Nếu chưa có kết quả, đơn vị cần gửi thư xin lỗi và hẹn lại."
        + _SEE_VI,
        "Hồ sơ {{ ma_ho_so }} đã quá hạn ({{ hen_tra }}).",
        "Overdue: dossier {{ ma_ho_so }} (due {{ hen_tra }})",
        _HELLO_EN + "Dossier {{ ma_ho_so }} ({{ ten_thu_tuc }}) at the step «{{ buoc }}» is past "
        "its due date {{ hen_tra }}. Without a result, the unit must send an apology letter "
        "with a new date." + _SEE_EN,
        "Dossier {{ ma_ho_so }} is overdue ({{ hen_tra }}).",
    ),
    Event.DIGEST: Text(
        "Công việc ngày {{ ngay }}: {{ so_viec }} hồ sơ, {{ so_qua_han }} quá hạn",
        _HELLO_VI + "Ngày {{ ngay }} ông/bà có {{ so_viec }} hồ sơ đang chờ, trong đó "
        "{{ so_sap_den_han }} sắp đến hạn và {{ so_qua_han }} quá hạn:\n{{ danh_sach }}\n\n"
        "Hàng đợi: {{ duong_dan }}\n\n{{ ten_he_thong }}",
        "Ngày {{ ngay }}: {{ so_viec }} hồ sơ chờ, {{ so_qua_han }} quá hạn.",
        "Work for {{ ngay }}: {{ so_viec }} dossiers, {{ so_qua_han }} overdue",
        _HELLO_EN + "On {{ ngay }} you have {{ so_viec }} dossiers waiting, {{ so_sap_den_han }} "
        "due soon and {{ so_qua_han }} overdue:\n{{ danh_sach }}\n\nQueue: {{ duong_dan }}\n\n"
        "{{ ten_he_thong }}",
        "{{ ngay }}: {{ so_viec }} dossiers waiting, {{ so_qua_han }} overdue.",
    ),
    Event.REPORT_DUE: Text(
        "Nhắc nộp báo cáo {{ ky_bao_cao }}",
        "Kính gửi {{ co_quan }},\n\nĐơn vị chưa gửi báo cáo tình hình giải quyết thủ tục hành "
        "chính {{ ky_bao_cao }}. Đề nghị lập, rà soát và gửi báo cáo trên hệ thống trước ngày "
        "{{ han_nop }}.\n\nLập báo cáo: {{ duong_dan }}\n\n{{ ten_he_thong }}",
        "Nhắc gửi báo cáo {{ ky_bao_cao }} trước ngày {{ han_nop }}.",
        "Reminder: report for {{ ky_bao_cao }}",
        "Dear {{ co_quan }},\n\nYour agency has not submitted its report on administrative "
        "procedures for {{ ky_bao_cao }}. Please prepare, check and submit it before "
        "{{ han_nop }}.\n\nPrepare the report: {{ duong_dan }}\n\n{{ ten_he_thong }}",
        "Reminder: submit the report for {{ ky_bao_cao }} before {{ han_nop }}.",
    ),
}
