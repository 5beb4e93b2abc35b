"""`python -m motcua run` serves the site with a live task worker on a fresh data directory."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.mark.slow
def test_run_migrates_serves_and_starts_a_worker(tmp_path: Path):
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "MOTCUA_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "run-command-test-" + "x" * 40,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "motcua",
            "run",
            "--port",
            str(port),
            "--no-demo",
            "--web-workers",
            "1",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        status, body = 0, b""
        while time.monotonic() < deadline:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
            except OSError:
                status = 0
            if status == 200:
                break
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.5)
        assert status == 200, body
        assert json.loads(body)["checks"] == {"database": "ok", "worker": "ok"}
        assert (tmp_path / "motcua.sqlite3").exists()
        home_status, home = _get(f"http://127.0.0.1:{port}/")
        assert home_status == 200
        assert "Đăng nhập".encode() in home or "Tra cứu".encode() in home
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output
    assert process.returncode == 0, output
