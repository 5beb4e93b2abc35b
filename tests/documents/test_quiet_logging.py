"""Commands and PDFs print nothing of WeasyPrint's steps or fontTools' subsetting.

WeasyPrint logs "Step 2 - Fetching and parsing CSS - CSS string" while it is imported (it parses
its own stylesheets), so only a fresh process shows whether the LOGGING setting keeps it out.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.documents.renderers import render_receipt
from motcua.dossiers.models import Dossier

NOISY = ("weasyprint", "fontTools")
RENDER = (
    "from motcua.documents.pdf import html_to_pdf; "
    "print(html_to_pdf(html='<p>Giấy tiếp nhận hồ sơ</p>')[:4].decode())"
)


def _motcua(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DEBUG": "1",
        "LOG_LEVEL": "INFO",
        "MOTCUA_DATA_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-m", "motcua", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_a_command_prints_no_progress_steps(tmp_path: Path) -> None:
    done = _motcua(tmp_path, "check")
    assert "Step " not in done.stdout + done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced)."


def test_a_pdf_rendered_by_a_command_prints_only_its_own_output(tmp_path: Path) -> None:
    done = _motcua(tmp_path, "shell", "--no-imports", "-c", RENDER)
    assert done.stdout == "%PDF\n"
    assert done.stderr == ""


def test_rendering_a_receipt_logs_no_progress_steps(
    dossier: Dossier, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the root level the site runs with (LOG_LEVEL=INFO)
    assert render_receipt(dossier=dossier).startswith(b"%PDF")
    chatter = [
        record.getMessage()
        for record in caplog.records
        if record.name.split(".")[0] in NOISY and record.levelno < logging.WARNING
    ]
    assert chatter == []


def test_weasyprint_warnings_still_reach_the_log() -> None:
    assert logging.getLogger("weasyprint").isEnabledFor(logging.WARNING)
    assert logging.getLogger("weasyprint.progress").isEnabledFor(logging.WARNING)
