"""GET /api/v1/reports/monthly and /api/v1/stats/kpi: shapes (DESIGN.md §4), scope, errors."""

from __future__ import annotations

from django.test import Client

from motcua.integration.services import api_client_create
from motcua.reports.constants import COLUMN_KEYS

from .conftest import Province
from .test_selectors import A_MAY, P1

REQUIRED_KEYS = {
    "carried_over", "received_online", "received_direct", "received_postal", "resolved_early",
    "resolved_on_time", "resolved_late", "pending_within_deadline", "pending_overdue",
    "withdrawn", "refused", "apologies", "paid_online", "postal_pickups", "postal_deliveries",
}  # fmt: skip
KPI_IDS = {
    "procedures_level34_share", "procedures_level4_share", "dossiers_online_share",
    "dossiers_postal_share", "online_payment_coverage", "integration_coverage", "on_time_rate",
}  # fmt: skip


def _key(agencies, scopes=("reports:read",)) -> str:
    _client, key = api_client_create(name="Hệ thống báo cáo", agencies=agencies, scopes=scopes)
    return key


def _get(path: str, key: str = "", **params: str):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return Client().get(f"/api/v1/{path}", params, headers=headers)


def test_monthly_report_of_an_agency(province: Province) -> None:
    key = _key([province.a])
    response = _get("reports/monthly", key, period="2020-05", agency="000.00.21.H16")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == "2020-05" and body["agency"] == "000.00.21.H16"
    assert set(body["totals"]) >= REQUIRED_KEYS
    assert {k: body["totals"][k] for k in COLUMN_KEYS} == A_MAY
    assert body["totals"]["received_total"] == 14
    rows = {row["procedure"]: row for row in body["rows"]}
    assert set(rows) == {"1.000001", "1.000002", "1.000003"}
    assert {k: rows["1.000001"][k] for k in COLUMN_KEYS} == P1
    assert set(rows["1.000003"]) >= REQUIRED_KEYS
    assert body["start"].startswith("2020-05-01T00:00:00+07:00")


def test_monthly_report_scope(province: Province) -> None:
    key_a = _key([province.a])
    # Another agency, or the whole province, is out of this key's scope.
    assert (
        _get("reports/monthly", key_a, period="2020-05", agency="000.00.22.H16").status_code == 403
    )
    response = _get("reports/monthly", key_a, period="2020-05")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_denied"
    # A province key reads the province and any agency.
    key_p = _key([province.province])
    body = _get("reports/monthly", key_p, period="2020-05").json()
    assert body["agency"] is None and body["totals"]["received_direct"] == 6
    assert {r["agency"] for r in body["by_agency"]} == {"000.00.21.H16", "000.00.22.H16"}
    # Without the reports scope, or without a key.
    key_d = _key([province.a], scopes=("dossiers:read",))
    assert (
        _get("reports/monthly", key_d, period="2020-05", agency="000.00.21.H16").status_code == 403
    )
    assert _get("reports/monthly", period="2020-05").status_code == 401


def test_monthly_report_bad_input(province: Province) -> None:
    key = _key([province.province])
    for period in ("2020-13", "20-05", "2020-Q5", "mai"):
        response = _get("reports/monthly", key, period=period)
        assert response.status_code == 422, period
        assert response.json()["error"]["code"] == "invalid_input"
    response = _get("reports/monthly", key, period="2020-05", agency="999.99.99.H99")
    assert response.status_code == 404
    assert _get("reports/monthly", key, period="2020-Q2").status_code == 200
    assert _get("reports/monthly", key, period="2020").status_code == 200


def test_kpi_is_public_aggregate(province: Province) -> None:
    response = _get("stats/kpi", period="2020-05", agency="000.00.21.H16")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2020-05" and body["agency"] == "000.00.21.H16"
    indicators = {i["id"]: i for i in body["indicators"]}
    assert set(indicators) >= KPI_IDS
    assert indicators["dossiers_online_share"] == {
        "id": "dossiers_online_share",
        "name": "Tỷ lệ hồ sơ tiếp nhận trực tuyến (thủ tục mức độ 3, 4)",
        "value": 0.625,
        "target": 0.2,
        "met": True,
        "numerator": 5,
        "denominator": 8,
    }
    assert indicators["on_time_rate"]["value"] == 0.6
    assert indicators["on_time_rate"]["met"] is False
    quality = {i["id"]: i for i in body["quality"]["indicators"]}
    assert quality["3.3"]["score"] == round(5 / 11 * 4.4 / 0.5, 2)
    # The province when no agency is named; no personal data anywhere.
    province_body = _get("stats/kpi", period="2020-05").json()
    assert province_body["agency"] is None
    assert "#1" not in response.content.decode() + str(province_body)
    assert _get("stats/kpi", period="2020-5").status_code == 422
