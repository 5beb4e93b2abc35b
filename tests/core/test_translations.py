"""English second: the committed catalogue is complete and compiled, and pages switch to English.

The catalogue (src/motcua/locale/en/LC_MESSAGES/django.po) and its compiled .mo are committed so
a fresh machine needs no gettext; these tests read them with polib.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.test import Client, override_settings
from django.utils import translation

import motcua
from motcua.orgs.constants import Role, UnitKind
from tests.factories import MembershipFactory, StaffFactory, UnitFactory

LOCALE = Path(motcua.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_message_is_translated_and_none_is_fuzzy(po: polib.POFile) -> None:
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 1000
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.percent_translated() == 100


def test_translations_keep_their_placeholders(po: polib.POFile) -> None:
    wrong = []
    for entry in po.translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wrong += [(entry.msgid, t) for t in texts if sorted(PLACEHOLDER.findall(t)) != expected]
    assert wrong == []


def test_compiled_catalogue_matches_the_source(po: polib.POFile) -> None:
    """The committed .mo was compiled from the committed .po (run compilemessages after edits)."""
    mo = polib.mofile(str(LOCALE / "django.mo"))

    def pairs(catalogue) -> set[tuple]:
        return {
            (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
            for e in catalogue
            if e.msgid and not e.obsolete and "fuzzy" not in e.flags
        }

    assert pairs(mo) == pairs(po)


def test_report_and_admin_messages_are_in_english() -> None:
    with translation.override("en"):
        assert translation.gettext("Bảng chỉ số") == "Dashboard"
        assert translation.gettext("Giải quyết quá hạn") == "Resolved late"
        assert translation.pgettext("time received", "Tiếp nhận") == "Received"
        assert translation.ngettext("%(n)s hồ sơ", "%(n)s hồ sơ", 2) == "%(n)s dossiers"
        assert translation.gettext("Cấu hình hệ thống") == "System configuration"
    with translation.override("vi"):
        assert translation.gettext("Bảng chỉ số") == "Bảng chỉ số"


@pytest.mark.django_db
@override_settings(MOTCUA_REPORT_CUTOFF_DAY=1)  # the dates below are those of a calendar month
def test_open_data_page_in_english_after_the_switch() -> None:
    client = Client()
    page = client.get("/bao-cao/cong-khai/", {"period": "2020-05"}).content.decode()
    assert "Kết quả giải quyết thủ tục hành chính" in page
    assert "Tháng 5/2020" in page

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/bao-cao/cong-khai/"})
    assert response.status_code == 302
    page = client.get("/bao-cao/cong-khai/", {"period": "2020-05"}).content.decode()
    assert 'lang="en"' in page
    assert "Results of administrative procedures" in page
    assert "Month 5/2020" in page
    assert "From 01/05/2020 to 31/05/2020" in page
    assert "Directive 08 indicators against targets" in page
    assert "Kết quả giải quyết thủ tục hành chính" not in page


@pytest.mark.django_db
def test_report_dashboard_in_english() -> None:
    province = UnitFactory(code="000.00.00.H16", name="UBND tỉnh", kind=UnitKind.PROVINCE)
    viewer = StaffFactory(username="xem-bao-cao")
    MembershipFactory(user=viewer, unit=province, role=Role.REPORT_VIEWER)
    client = Client()
    client.force_login(viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": "/bao-cao/"})
    page = client.get("/bao-cao/", {"period": "2020-05"}).content.decode()
    assert "Dashboard" in page
    assert "Processing by field (Form 06)" in page
    assert "Resolved late" in page
    assert "Bảng chỉ số" not in page


@pytest.mark.django_db
def test_admin_index_title_in_english(admin_client: Client) -> None:
    page = admin_client.get("/admin/").content.decode()
    assert "Cấu hình hệ thống" in page
    admin_client.post("/i18n/setlang/", {"language": "en", "next": "/admin/"})
    page = admin_client.get("/admin/").content.decode()
    assert "System configuration" in page
    assert "motcua · Electronic one-stop shop administration" in page
    assert "Procedure catalogue" in page and "Working calendar" in page
