"""Which kind of result a procedure issues, read from its published "kết quả thực hiện".

The national procedure database describes each procedure's result in words ("Giấy chứng nhận
kết hôn", "Giấy phép xây dựng", "Quyết định cho thuê đất"); the kind picks the template. A
denial (not resolved after appraisal) is always the written answer with reasons.
"""

from __future__ import annotations

from motcua.catalog.search import normalise

from .constants import ResultKind

# Checked in order on the procedure's result text (then its name), without diacritics.
_RULES: tuple[tuple[str, str], ...] = (
    ("quyet dinh", ResultKind.DECISION),
    ("giay phep xay dung", ResultKind.PERMIT),
    ("chap thuan", ResultKind.PERMIT),
    ("cho phep", ResultKind.PERMIT),
    ("giay phep", ResultKind.LICENCE),
    ("chung chi", ResultKind.LICENCE),
    ("chung nhan", ResultKind.CERTIFICATE),
    ("xac nhan", ResultKind.CERTIFICATE),
    ("giay khai sinh", ResultKind.CERTIFICATE),
    ("trich luc", ResultKind.CERTIFICATE),
    ("chung thuc", ResultKind.CERTIFICATE),
)

DEFAULT_TITLES = {
    ResultKind.CERTIFICATE: "Giấy chứng nhận",
    ResultKind.LICENCE: "Giấy phép",
    ResultKind.PERMIT: "Văn bản chấp thuận",
    ResultKind.DECISION: "Quyết định",
    # The written refusal at reception says what form 03 says (Circular 01/2018-VPCP).
    ResultKind.REFUSAL: "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    ResultKind.DENIAL: "Văn bản trả lời không giải quyết hồ sơ",
}


def result_kind_for(*, procedure_result: str, procedure_name: str = "") -> str:
    """The kind of result an approval issues for a procedure (decision when nothing says)."""
    for text in (procedure_result, procedure_name):
        plain = normalise(text or "")
        for needle, kind in _RULES:
            if needle in plain:
                return kind
    return ResultKind.DECISION


def result_title_for(*, kind: str, procedure_result: str) -> str:
    """The document's title: the procedure's own result name for an approval, when it has one
    ("Giấy chứng nhận kết hôn"), else the kind's; a denial or refusal keeps the kind's title."""
    if kind in (ResultKind.DENIAL, ResultKind.REFUSAL):
        return DEFAULT_TITLES[kind]
    first = (procedure_result or "").strip().split("\n", 1)[0]
    # "Giấy khai sinh (bản chính) và bản điện tử": the name without the parenthesised remarks.
    first = first.split("(", 1)[0].split(" và bản", 1)[0].strip(" ,;.")
    return first[:200] or DEFAULT_TITLES[kind]
