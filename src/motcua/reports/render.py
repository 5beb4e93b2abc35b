"""The dashboard's big tables rendered in Python, and its report kept for frozen periods.

A month's dashboard holds some 4 000 linked figures (a line per field and per procedure, a
column per figure, and the agencies' ranking); as template nodes they cost more than the whole
report behind them. Here each table is one string: the escaped pieces that repeat are built
once, and a cell is an f-string around an integer.

A period whose months, and the trend's twelve months, are all frozen (frozen.py) shows figures
that no longer move, so its rendered report (the dashboard's, the open-data page's) is kept in
the cache, keyed by what it is made of: the frozen months' digests (freezing a month again after
a correction changes its digest), the catalogue version (procedures, fields, fees, units and who
performs what — the names and the catalogue side of the indicators), the targets, the language
and this code. The ratings counted by indicator 5.4 are dated when given, so those of a due month
do not change either (a bulk load of past dossiers forgets the months it touches). A period with
a month not yet due is always computed from the dossiers; the frozen and corrected notices are
never kept (a recount flags a month without changing its digest). Entries expire after an hour,
which bounds what changes behind these keys' back (a catalogue row updated without signals).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache as memoize
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from motcua.catalog.cache import CACHE_SECONDS, catalog_version
from motcua.orgs.models import Unit

from . import frozen
from .kpis import AgencyKpis, kpi_targets
from .models import MonthFigures
from .monthly import ReportRow
from .periods import Period
from .templatetags.reports import met_class, percent

CACHE_PREFIX = "reports:page"


def _number(value: Any) -> str:
    """A figure as the template would print it (integers are by far the common case)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


def _figure_cells(
    figures: dict[str, int], columns: Sequence[tuple[str, str]], heads: Sequence[str], tail: str
) -> str:
    """`<td><a href="…&column=KEY{tail}" title="LABEL">N</a></td>` for every column.

    `heads[i]` is the escaped start of column i's link up to its key, `tail` the escaped end of
    the row's query string plus the closing of the tag."""
    return "".join(
        f"<td>{head}{tail}{_number(figures.get(key))}</a></td>"
        for head, (key, _label) in zip(heads, columns, strict=True)
    )


def _heads(list_url: str, columns: Sequence[tuple[str, str]]) -> list[str]:
    url = escape(list_url)
    return [f'<a href="{url}&amp;column={escape(key)}' for key, _label in columns]


def _titled(columns: Sequence[tuple[str, str]], list_url: str, row_query: str) -> list[str]:
    """Per column: the link's start, the row's query and the title (the column's label)."""
    return [
        f'{head}{row_query}" title="{escape(label)}">'
        for head, (_key, label) in zip(_heads(list_url, columns), columns, strict=True)
    ]


def field_rows(
    rows: Iterable[ReportRow], columns: Sequence[tuple[str, str]], list_url: str
) -> SafeString:
    """The lines of the table by field (Biểu 06): each figure links to its dossiers."""
    out = []
    for row in rows:
        f = row.figures()
        level = row.extra.get("gov_level", "")
        query = f"&amp;field={escape(row.ref)}&amp;gov_level={escape(level)}"
        heads = _titled(columns, list_url, query)
        out.append(
            format_html(
                '<tr><td class="label">{} <span class="rp-note">({})</span></td>', row.label, level
            )
            + "".join(
                f"<td>{head}{_number(f.get(key))}</a></td>"
                for head, (key, _label) in zip(heads, columns, strict=True)
            )
            + "</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 — every value above went through escape()


def procedure_rows(
    rows: Iterable[ReportRow], columns: Sequence[tuple[str, str]], list_url: str
) -> SafeString:
    """The lines of the table by procedure: each figure links to its dossiers."""
    url_heads = _heads(list_url, columns)
    tails = [f'" title="{escape(label)}">' for _key, label in columns]
    out = []
    for row in rows:
        f = row.figures()
        query = f"&amp;procedure={escape(row.ref)}"
        out.append(
            format_html(
                '<tr><td class="label"><span class="code">{}</span> {}</td>', row.key, row.label
            )
            + "".join(
                f"<td>{head}{query}{tail}{_number(f.get(key))}</a></td>"
                for head, tail, (key, _label) in zip(url_heads, tails, columns, strict=True)
            )
            + "</tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 — every value above went through escape()


def total_row(
    figures: dict[str, int], columns: Sequence[tuple[str, str]], list_url: str
) -> SafeString:
    """The cells of the total line (no title: the header says it)."""
    heads = _heads(list_url, columns)
    return mark_safe(_figure_cells(figures, columns, heads, '">'))  # noqa: S308 — escaped


def ranking_rows(ranking: Iterable[AgencyKpis], *, period: Period, list_url: str) -> SafeString:
    """The agencies' ranking by Directive 08 targets: one line per agency, best first."""
    url = escape(list_url)
    out = []
    for rank, a in enumerate(ranking, start=1):
        code = escape(a.agency.code)
        cells = "".join(
            f'<td class="{met_class(i.met)}">{escape(percent(i.value))}</td>' for i in a.indicators
        )
        figures = a.row.figures
        out.append(
            f"<tr><td>{rank}</td>\n"
            f'      <td class="label"><a href="?period={escape(period.key)}&amp;agency={code}">'
            f"{escape(a.agency.name)}</a></td>\n"
            f"      <td>{a.met_count}/{a.measured_count}</td>\n"
            f"      {cells}\n"
            f'      <td><a href="{url}&amp;column=received_total&amp;unit={code}">'
            f"{_number(figures()['received_total'])}</a></td>\n"
            f'      <td><a href="{url}&amp;column=resolved_late&amp;unit={code}">'
            f"{_number(a.row.counts['resolved_late'])}</a> + "
            f'<a href="{url}&amp;column=pending_overdue&amp;unit={code}">'
            f"{_number(a.row.counts['pending_overdue'])}</a></td>\n"
            "    </tr>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 — every value above went through escape()


def agency_options(choices: Iterable[Unit], selected: Unit | None) -> SafeString:
    """The `<option>`s of the agency filter (a hundred agencies in a province)."""
    chosen = selected.pk if selected is not None else None
    return mark_safe(  # noqa: S308 — every value went through escape()
        "".join(
            f'<option value="{escape(a.code)}"{" selected" if a.pk == chosen else ""}>'
            f"{escape(a.name)}</option>"
            for a in choices
        )
    )


# --- Kept for frozen periods -----------------------------------------------------------------


@dataclass
class FrozenState:
    """The stored months of the period and of its trend, and the cache key when all are
    frozen (None: some month is live or not frozen yet, so nothing is kept)."""

    months: list[MonthFigures] = field(default_factory=list)  # the period's own, oldest first
    key: str | None = None


@memoize
def _code_digest() -> str:
    """Changes with the code and templates that make the page (the cache outlives a deploy)."""
    here = Path(__file__).resolve().parent
    files = sorted(
        [*here.glob("*.py"), *here.glob("templatetags/*.py"), *here.glob("templates/**/*.html")]
    )
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def frozen_state(
    *, page: str, period: Period, trend: Sequence[Period], agency: Unit | None
) -> FrozenState:
    """One query: the frozen figures of the period's months and of the trend's months; `page`
    names what is kept (the dashboard, the open-data page)."""
    months = period.month_periods()
    wanted = {p.key: p for p in [*trend, *months]}
    if not all(frozen.is_due(p) for p in wanted.values()):
        return FrozenState()
    stored = frozen.months_frozen_now(
        list(wanted.values()),
        fields=("period", "start", "end", "aggregates", "digest", "closed_at", "mismatch"),
    )
    if len(stored) < len(wanted):
        return FrozenState()
    parts = {
        "page": page,
        "code": _code_digest(),
        "period": period.key,
        "agency": agency.pk if agency is not None else None,
        "language": get_language(),
        "catalog": catalog_version(),
        "targets": kpi_targets(year=period.year),
        "months": [stored[k].digest for k in sorted(wanted)],
    }
    source = json.dumps(parts, sort_keys=True, default=str).encode()
    key = f"{CACHE_PREFIX}:{hashlib.sha256(source).hexdigest()}"
    return FrozenState(months=[stored[m.key] for m in months], key=key)


@dataclass
class Body:
    """What a report page shows below its heading and form, the totals it was made of, and the
    period's frozen months it was read from (not kept: a kept body takes them from its state)."""

    html: SafeString
    figures: dict[str, int]
    frozen: list[MonthFigures] = field(default_factory=list)


def body_get(state: FrozenState) -> Body | None:
    if state.key is None:
        return None
    kept = cache.get(state.key)
    if kept is None:
        return None
    return Body(mark_safe(kept["html"]), kept["figures"], state.months)  # noqa: S308 — ours


def body_kept(
    *,
    page: str,
    period: Period,
    trend: Sequence[Period],
    agency: Unit | None,
    build: Callable[[], Body],
) -> Body:
    """The page's body from the cache when the period and its trend are all frozen, else
    `build()` (kept for the next request when they are)."""
    state = frozen_state(page=page, period=period, trend=trend, agency=agency)
    body = body_get(state)
    if body is None:
        body = build()
        body_keep(state, body)
    return body


def body_keep(state: FrozenState, body: Body) -> None:
    if state.key is not None:
        cache.set(
            state.key, {"html": str(body.html), "figures": body.figures}, timeout=CACHE_SECONDS
        )
