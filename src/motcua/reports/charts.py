"""Server-rendered SVG charts for the dashboard (no JavaScript, nothing from a CDN)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

GREEN = "#1e7b34"
RED = "#b3261e"
GREY = "#6b7280"
SERIES_COLOURS = ("#1d4ed8", "#0f766e", "#b45309", "#7c3aed")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 — every text inside went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{label}" class="chart"><title>{label}</title>'
        + "".join(body)
        + "</svg>"
    )


def _legend(series: Sequence[Series], x: int, y: int) -> list[str]:
    parts = []
    for s in series:
        parts.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{s.colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{y}" font-size="11">{escape(s.name)}</text>')
        x += 24 + 7 * len(s.name)
    return parts


def stacked_bars(*, title: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Columns per label, stacked by series (e.g. dossiers received per month by channel)."""
    width, height, left, bottom, top = 640, 260, 44, 36, 28
    plot_h = height - bottom - top
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    peak = max([*totals, 1])
    step = (width - left - 10) / max(len(labels), 1)
    bar = max(step * 0.6, 2)
    body = _legend(series, left, 14)
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        body.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{round(peak * fraction)}</text>"
        )
    for i, label in enumerate(labels):
        x = left + i * step + (step - bar) / 2
        y = top + plot_h
        for s in series:
            value = s.values[i] or 0
            h = plot_h * value / peak
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{s.colour}"><title>{escape(s.name)} · {escape(label)}: {value}</title></rect>'
            )
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 14}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
        body.append(
            f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" font-size="9" text-anchor="middle" '
            f'fill="{GREY}">{totals[i]}</text>'
        )
    return _svg(width, height, title, body)


def rate_lines(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    target: float | None = None,
) -> SafeString:
    """Rates (0–1) per label as lines, with an optional dashed target."""
    width, height, left, bottom, top = 640, 240, 44, 36, 28
    plot_h = height - bottom - top
    step = (width - left - 20) / max(len(labels) - 1, 1)
    body = _legend(series, left, 14)
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - fraction)
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
        )
        body.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{round(fraction * 100)}%</text>"
        )
    if target is not None:
        y = top + plot_h * (1 - target)
        body.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="{RED}" '
            f'stroke-dasharray="5 4"><title>{round(target * 100)}%</title></line>'
        )
    for s in series:
        points = [
            (left + i * step, top + plot_h * (1 - v))
            for i, v in enumerate(s.values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2"/>'
            )
        for i, v in enumerate(s.values):
            if v is None:
                continue
            x, y = left + i * step, top + plot_h * (1 - v)
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{s.colour}">'
                f"<title>{escape(s.name)} · {escape(labels[i])}: {v * 100:.1f}%</title></circle>"
            )
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{left + i * step:.1f}" y="{height - bottom + 14}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(width, height, title, body)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    target: float | None
    met: bool | None


def target_bars(*, title: str, bars: Sequence[Bar]) -> SafeString:
    """Horizontal bars of indicators (0–1), green when the target is met, red when not, with a
    tick at the target."""
    width, row, left = 760, 26, 400
    height = row * len(bars) + 10
    plot_w = width - left - 60
    body = []
    for i, b in enumerate(bars):
        y = 4 + i * row
        body.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="11" text-anchor="end">{escape(b.label)}</text>'
        )
        body.append(f'<rect x="{left}" y="{y + 4}" width="{plot_w}" height="14" fill="#f1f1f1"/>')
        if b.value is not None:
            colour = GREY if b.met is None else (GREEN if b.met else RED)
            body.append(
                f'<rect x="{left}" y="{y + 4}" width="{plot_w * min(b.value, 1):.1f}" height="14" '
                f'fill="{colour}"/>'
            )
            body.append(
                f'<text x="{left + plot_w + 6}" y="{y + 15}" font-size="11">{b.value * 100:.1f}%</text>'
            )
        else:
            body.append(f'<text x="{left + plot_w + 6}" y="{y + 15}" font-size="11">—</text>')
        if b.target is not None:
            x = left + plot_w * b.target
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y + 1}" y2="{y + 21}" stroke="#111" '
                f'stroke-width="2"><title>{b.target * 100:.0f}%</title></line>'
            )
    return _svg(width, height, title, body)
