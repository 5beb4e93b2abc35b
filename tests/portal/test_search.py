"""Home page search: normalisation, ranking, filters, pagination, facets, query bounds."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from motcua.portal import selectors
from motcua.portal.selectors import SearchFilters

pytestmark = pytest.mark.django_db

HOME = "/"


def names(filters: SearchFilters) -> list[str]:
    return [p.name for p in selectors.procedure_search_queryset(filters=filters)]


@pytest.fixture
def catalogue(make_procedure, make_field):
    business = make_field("Thành lập và hoạt động của hộ kinh doanh", code="HKD")
    civil = make_field("Hộ tịch", code="HT")
    return {
        "exact": make_procedure("Đăng ký hộ kinh doanh", field=business, online_level=4),
        "change": make_procedure(
            "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", field=business, online_level=3
        ),
        "partial": make_procedure("Đăng ký khai sinh", field=civil, online_level=4),
        "other": make_procedure("Cấp bản sao trích lục hộ tịch", field=civil),
        "hidden": make_procedure("Đăng ký hộ kinh doanh (bản nháp)", published=False),
    }


@pytest.mark.parametrize(
    "query",
    [
        "dang ky ho kinh doanh",
        "ĐĂNG KÝ HỘ KINH DOANH",
        "đăng ký hộ kinh doanh",
        # The same words typed with combining diacritics (NFD), as some keyboards send them.
        unicodedata.normalize("NFD", "Đăng ký hộ kinh doanh"),
        "  Dang   KY ho kinh DOANH ",
    ],
)
def test_spellings_find_the_same_procedures_best_first(catalogue, query):
    found = names(SearchFilters(q=query))
    assert found[:2] == ["Đăng ký hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh"]
    assert "Đăng ký hộ kinh doanh (bản nháp)" not in found


def test_ranking_phrase_then_all_words_then_some_words(catalogue):
    found = names(SearchFilters(q="đăng ký hộ kinh doanh"))
    # Phrase match, then all words, then "Đăng ký khai sinh" with only some words.
    assert found.index("Đăng ký hộ kinh doanh") == 0
    assert found.index("Đăng ký thay đổi nội dung đăng ký hộ kinh doanh") == 1
    assert found.index("Đăng ký khai sinh") > 1


def test_d_with_stroke_matches_plain_d(make_procedure):
    make_procedure("Đăng ký kết hôn")
    assert names(SearchFilters(q="dang ky ket hon")) == ["Đăng ký kết hôn"]
    assert names(SearchFilters(q="ĐĂNG KÝ KẾT HÔN")) == ["Đăng ký kết hôn"]


def test_words_match_at_word_start_only(make_procedure):
    make_procedure("Cấp giấy phép xây dựng")
    assert names(SearchFilters(q="xay dung")) == ["Cấp giấy phép xây dựng"]
    assert names(SearchFilters(q="ung")) == []  # inside "dựng", not a word start


def test_search_by_procedure_code(make_procedure):
    make_procedure("Đăng ký khai tử", code="1.000656")
    assert names(SearchFilters(q="1.000656")) == ["Đăng ký khai tử"]


def test_no_match_returns_nothing(catalogue):
    assert names(SearchFilters(q="zzzz")) == []


def test_filters_by_field_level_gov_level_and_agency(make_procedure, make_field, make_unit):
    land = make_field("Đất đai", code="DD")
    ward = make_unit("UBND phường Ea Tam")
    department = make_unit("Sở Tài nguyên và Môi trường", kind="department", level="province")
    make_procedure(
        "Đăng ký đất đai lần đầu",
        field=land,
        gov_level="province",
        online_level=3,
        units=[department],
    )
    make_procedure("Chứng thực bản sao", online_level=2, units=[ward])
    make_procedure("Đăng ký khai sinh", online_level=4, units=[ward])

    assert names(SearchFilters(field="DD")) == ["Đăng ký đất đai lần đầu"]
    assert names(SearchFilters(gov_level="province")) == ["Đăng ký đất đai lần đầu"]
    assert names(SearchFilters(online_level=4)) == ["Đăng ký khai sinh"]
    assert names(SearchFilters(agency=ward.code)) == ["Chứng thực bản sao", "Đăng ký khai sinh"]
    assert names(SearchFilters(q="dang ky", agency=ward.code)) == ["Đăng ký khai sinh"]


def test_home_search_page_lists_results_and_field_counts(client, catalogue):
    response = client.get(HOME, {"q": "dang ky ho kinh doanh"})
    assert response.status_code == 200
    html = response.content.decode()
    # "Cấp bản sao trích lục hộ tịch" shares only "hộ": it is found, ranked last.
    assert "Tìm thấy 4 thủ tục" in html
    assert html.index("Đăng ký hộ kinh doanh") < html.index("Đăng ký thay đổi nội dung")
    assert reverse("portal:procedure", args=[catalogue["exact"].code]) in html
    counts = {f.code: n for f, n in response.context["result"].field_counts}
    assert counts == {"HKD": 2, "HT": 2}


def test_home_filter_by_field_through_the_form(client, catalogue):
    response = client.get(HOME, {"field": "HT"})
    found = [p.name for p in response.context["result"].page.object_list]
    assert found == ["Cấp bản sao trích lục hộ tịch", "Đăng ký khai sinh"]


def test_invalid_filter_value_is_ignored_not_an_error(client, catalogue):
    response = client.get(HOME, {"q": "khai sinh", "online_level": "9", "field": "nope"})
    assert response.status_code == 200


def test_pagination(client, make_procedure):
    for i in range(selectors.PAGE_SIZE + 5):
        make_procedure(f"Thủ tục thử nghiệm số {i:02d}")
    first = client.get(HOME, {"q": "thu nghiem"})
    assert len(first.context["result"].page.object_list) == selectors.PAGE_SIZE
    assert "page=2" in first.content.decode()
    second = client.get(HOME, {"q": "thu nghiem", "page": 2})
    assert [p.name for p in second.context["result"].page.object_list] == [
        f"Thủ tục thử nghiệm số {i:02d}"
        for i in range(selectors.PAGE_SIZE, selectors.PAGE_SIZE + 5)
    ]
    # A page past the end shows the last page, never an error.
    assert client.get(HOME, {"q": "thu nghiem", "page": 99}).status_code == 200


def test_home_without_query_shows_most_used_and_fields(client, catalogue):
    response = client.get(HOME)
    assert response.status_code == 200
    most_used = [p.name for p in response.context["most_used"]]
    assert "Đăng ký hộ kinh doanh (bản nháp)" not in most_used
    assert set(most_used) == {p.name for k, p in catalogue.items() if k != "hidden"}
    assert "Thủ tục được sử dụng nhiều" in response.content.decode()
    counts = {f.code: n for f, n in response.context["field_counts"]}
    assert counts["HKD"] == 2 and counts["HT"] == 2


def test_htmx_request_gets_only_the_results_fragment(client, catalogue):
    response = client.get(HOME, {"q": "khai sinh"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Đăng ký khai sinh" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]
    restore = client.get(
        HOME,
        {"q": "khai sinh"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_query_count_is_bounded_whatever_the_catalogue_size(
    client, make_procedure, make_field, django_assert_max_num_queries
):
    for i in range(3):
        field = make_field(f"Lĩnh vực {i}")
        for j in range(15):
            make_procedure(f"Đăng ký việc {i} {j}", field=field)
    with django_assert_max_num_queries(8):
        response = client.get(HOME, {"q": "dang ky"})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(HOME).status_code == 200


def test_cached_search_answers_without_queries_and_sees_catalogue_changes_at_once(
    client, catalogue, make_procedure, make_field, django_assert_num_queries
):
    client.get(HOME, {"q": "khai sinh"})
    with django_assert_num_queries(0):
        again = client.get(HOME, {"q": "khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in again
    assert "Đăng ký khai tử" not in again
    # Publishing a procedure (or renaming, unpublishing one) shows in search at once.
    draft = make_procedure("Đăng ký khai tử", published=False)
    assert "Đăng ký khai tử" not in client.get(HOME, {"q": "khai"}).content.decode()
    draft.published = True
    draft.save()
    assert "Đăng ký khai tử" in client.get(HOME, {"q": "khai"}).content.decode()
    catalogue["partial"].name = "Đăng ký lại khai sinh"
    catalogue["partial"].save()
    assert "Đăng ký lại khai sinh" in client.get(HOME, {"q": "khai sinh"}).content.decode()
    # The filter lists follow too: a new field with a published procedure is offered.
    field = make_field("Lĩnh vực mới", code="MOI")
    make_procedure("Thủ tục mới", field=field)
    assert 'value="MOI"' in client.get(HOME, {"q": "khai"}).content.decode()


def test_most_used_follows_dossier_counts(client, make_procedure):
    from tests.factories import DossierFactory

    rare = make_procedure("Cấp bản sao trích lục hộ tịch")
    popular = make_procedure("Đăng ký khai sinh")
    unused = make_procedure("Đăng ký kết hôn", online_level=4)
    hidden = make_procedure("Thủ tục đã ngừng công khai", published=False)
    DossierFactory(procedure=rare)
    DossierFactory.create_batch(3, procedure=popular)
    DossierFactory.create_batch(5, procedure=hidden)
    most_used = [p.name for p in selectors.procedure_list_most_used()]
    # Most dossiers first; unpublished never; procedures without dossiers fill the rest.
    assert most_used == [popular.name, rare.name, unused.name]


def test_last_word_may_be_unfinished_other_words_must_be_whole(make_procedure):
    make_procedure("Đăng ký khai sinh")
    make_procedure("Cấp giấy phép hoạt động giáo dục")
    make_procedure("Cấp bản sao trích lục hộ tịch")
    # Typing in progress: "dang k" already finds "Đăng ký…".
    assert names(SearchFilters(q="dang k")) == ["Đăng ký khai sinh"]
    # "ho" as a finished word is "hộ", not the start of "hoạt".
    assert names(SearchFilters(q="ho tich")) == ["Cấp bản sao trích lục hộ tịch"]


def test_most_used_counts_the_latest_dossiers_only(client, make_procedure, monkeypatch):
    from tests.factories import DossierFactory

    before = make_procedure("Đăng ký khai sinh")
    now = make_procedure("Đăng ký kết hôn")
    DossierFactory.create_batch(4, procedure=before)
    DossierFactory.create_batch(2, procedure=now)
    # Only the last two dossiers fall in the window: the older, larger count is not read.
    monkeypatch.setattr(selectors, "MOST_USED_RECENT_DOSSIERS", 2)
    assert [p.name for p in selectors.procedure_list_most_used(limit=1)] == [now.name]


def test_filter_lists_show_what_each_visitor_chose(client, catalogue):
    # The select lists are kept between requests; a form that did not validate (an unknown
    # field code) still shows its own choices and leaves nothing behind for the next visitor.
    selected = 'value="4" selected'
    assert selected in client.get(HOME, {"online_level": "4"}).content.decode()
    invalid = client.get(HOME, {"field": "KHONG-CO", "online_level": "4"}).content.decode()
    assert selected in invalid
    assert selected not in client.get(HOME).content.decode()
    assert selected not in client.get(HOME, {"q": "khai sinh"}).content.decode()
    html = client.get(HOME, {"field": "HT"}).content.decode()
    assert 'value="HT" selected' in html
    assert selected not in html
