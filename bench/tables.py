"""Markdown tables for RESULTS.md from the bench's JSON files, so no figure is copied by hand.

    python bench/tables.py http bench/out/pg-100k.json bench/out/pg-1m.json …
    python bench/tables.py reports bench/out/pg-100k.json bench/out/pg-1m.json …
    python bench/tables.py load bench/out/pg-100k.json …

`http`: one row per page, one column group per file (req/s, p50/p95/p99 ms, ratio to the first and
the last bare baseline of that same run), then the peak memory of the workers. `reports`: the
in-process report timings (warm median, or the cold call when no warm one was made). `load`: the
simulator's rate and the database size.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

PAGES = {
    "search": ("portal search `/?q=…`", "≥ 0.30"),
    "procedure": ("procedure page `/thu-tuc/<code>/`", ""),
    "lookup_page": ("public lookup page `/tra-cuu/?code=`", "≥ 0.50"),
    "lookup_api": ("public lookup API `/api/v1/lookup/{code}`", "≥ 0.50"),
    "officer_queue": ("officer queue `/can-bo/`", "≥ 0.30"),
    "report_page": ("report page `/bao-cao/?period=2020-06`", ""),
    "create_api": ("dossier-create API `POST /api/v1/dossiers`", "≥ 0.15"),
}
# The ratio columns: to the bare view measured just before the page (bold, when the run has it),
# then to the run's first and last bare baselines.
RATIOS = "**neighbour** (first / last bare)"
REPORTS = {
    "monthly_report_province": "province, month",
    "annual_report_province": "province, year",
    "monthly_report_agency": "agency, month",
    "kpis_province": "KPIs, province",
    "kpis_agency": "KPIs, agency",
    "trend_province": "12-month trend",
}


def _load(paths: list[str]) -> list[dict[str, Any]]:
    runs = []
    for path in paths:
        data = json.loads(Path(path).read_text())
        data["_name"] = data.get("label") or Path(path).stem
        runs.append(data)
    return runs


def _n(value: float) -> str:
    return f"{value:,.1f}".replace(",", " ") if value >= 100 else f"{value:.1f}"


def http_table(runs: list[dict[str, Any]]) -> str:
    head = "| page | target |"
    rule = "|---|---|"
    for run in runs:
        git = run.get("machine", {}).get("git", "?")
        head += f" {run['_name']} ({git}): req/s · p50 / p95 / p99 ms · ratio {RATIOS} |"
        rule += "---|"
    lines = [head, rule]
    for key, (title, target) in {"bare": ("bare view `/bench/bare/`", ""), **PAGES}.items():
        row = f"| {title} | {target} |"
        for run in runs:
            http = run.get("http", {})
            page = http.get(key)
            if not page:
                row += " – |"
                continue
            first, last = http["bare"]["rps"], http["bare_again"]["rps"]
            ratios = f"{page['rps'] / first:.3f} / {page['rps'] / last:.3f}"
            if page.get("bare_before_rps"):
                ratios = f"**{page['rps'] / page['bare_before_rps']:.3f}** ({ratios})"
            latency = f"{page['p50_ms']:.1f} / {page['p95_ms']:.1f} / {page['p99_ms']:.1f}"
            row += f" {_n(page['rps'])} · {latency} · {ratios} |"
        lines.append(row)
    row = "| bare view again | |"
    for run in runs:
        again = run.get("http", {}).get("bare_again")
        row += f" {_n(again['rps'])} |" if again else " – |"
    lines.append(row)
    row = "| peak memory web / task worker (MiB) | |"
    for run in runs:
        memory = run.get("memory_kib") or {}
        web, task = memory.get("web_worker_peak"), memory.get("task_worker_peak")
        row += f" {web // 1024} / {task // 1024} |" if web and task else " – |"
    lines.append(row)
    return "\n".join(lines)


def reports_table(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| call | " + " | ".join(f"{r['_name']} live | {r['_name']} frozen" for r in runs) + " |"
    ]
    lines.append("|---|" + "---|---|" * len(runs))

    def cell(timing: dict[str, Any] | None) -> str:
        if not timing:
            return "–"
        warm = timing.get("median_s")
        if warm:
            return f"{warm:.3f} s (cold {timing['cold_s']:.3f})"
        return f"{timing['cold_s']:.3f} s (one call)"

    for key, title in REPORTS.items():
        row = f"| {title} |"
        for run in runs:
            reports = run.get("reports", {})
            row += f" {cell(reports.get('live', {}).get(key))} |"
            row += f" {cell(reports.get('frozen', {}).get(key))} |"
        lines.append(row)
    row = "| freeze one month: mean / max |"
    for run in runs:
        freeze = run.get("reports", {}).get("freeze") or {}
        if freeze:
            mean = sum(freeze.values()) / len(freeze)
            row += f" {mean:.2f} s / {max(freeze.values()):.2f} s | |"
        else:
            row += " – | |"
    lines.append(row)
    return "\n".join(lines)


def load_table(runs: list[dict[str, Any]]) -> str:
    lines = ["| run | dossiers | events | time | rate | database |", "|---|---|---|---|---|---|"]
    for run in runs:
        sim, db = run.get("simulate") or {}, run.get("database") or {}
        if not sim:
            continue
        lines.append(
            f"| {run['_name']} | {sim['dossiers']:,} | {sim.get('events', 0):,} |"
            f" {sim['seconds']:,.1f} s | **{sim['rate']:,}/s** | {db.get('size', '?')} |".replace(
                ",", " "
            )
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    kind, paths = argv[0], argv[1:]
    table = {"http": http_table, "reports": reports_table, "load": load_table}[kind]
    print(table(_load(paths)))


if __name__ == "__main__":
    main(sys.argv[1:])
