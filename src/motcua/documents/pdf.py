"""HTML → PDF with WeasyPrint: one Django template per form, print CSS, a Times-like serif font."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from .registry import FormSpec
from .words import nfc

# Font lookup through fontconfig is the slow part of a first rendering; one configuration is
# reused (it holds no per-document state as our CSS declares no @font-face).
_font_config: FontConfiguration | None = None

# fontTools' subsetting steps and WeasyPrint's rendering stages are kept out of the log by the
# LOGGING setting: WeasyPrint logs its first steps while it is imported, before this module
# could lower their level.


def _fonts() -> FontConfiguration:
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(*, html: str, base_url: str | None = None) -> bytes:
    """PDF bytes of an HTML document; the text is normalised to NFC first."""
    document = HTML(string=nfc(html), base_url=base_url)
    return document.write_pdf(font_config=_fonts())


def render_html(*, spec: FormSpec, context: dict[str, Any]) -> str:
    """The form's HTML (also handy to preview a form in a browser)."""
    return render_to_string(spec.template, {"form": spec, **context})


def render_pdf(*, spec: FormSpec, context: dict[str, Any]) -> bytes:
    return html_to_pdf(html=render_html(spec=spec, context=context))
