"""Settings come from the environment, and production refuses the default secret key."""

import os
import subprocess
import sys
import tempfile

import pytest

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.{})"


def _run(expr: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    base["DJANGO_SETTINGS_MODULE"] = "motcua.settings"
    # An empty data folder unless the test gives one: no installation key file to fall back on.
    base["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-settings-")
    return subprocess.run(
        [sys.executable, "-c", SETUP.format(expr)],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_the_public_development_key():
    result = _run("SECRET_KEY", SECRET_KEY="django-insecure-motcua-development-only")
    assert result.returncode != 0
    assert "public development key" in result.stderr


@pytest.mark.parametrize(
    ("expr", "env", "expected"),
    [
        ("TIME_ZONE", {"SECRET_KEY": "x" * 50}, "Asia/Ho_Chi_Minh"),
        ("LANGUAGE_CODE", {"SECRET_KEY": "x" * 50}, "vi"),
        ("DEBUG", {"SECRET_KEY": "x" * 50}, "False"),
        ("DEBUG", {"DEBUG": "1"}, "True"),
        (
            "ALLOWED_HOSTS",
            {"DEBUG": "1", "ALLOWED_HOSTS": "a.gov.vn, b.gov.vn"},
            "['a.gov.vn', 'b.gov.vn']",
        ),
        # The sandbox gateway is refused in production unless switched on (docs/PAYMENTS.md §5),
        # and production has no built-in hash secret.
        ("MOTCUA_PAYMENT_SANDBOX", {"SECRET_KEY": "x" * 50}, "False"),
        ("MOTCUA_PAYMENT_SANDBOX", {"DEBUG": "1"}, "True"),
        ("MOTCUA_PAYMENT_SANDBOX", {"SECRET_KEY": "x" * 50, "MOTCUA_PAYMENT_SANDBOX": "1"}, "True"),
        ("MOTCUA_VNPAY_HASH_SECRET == ''", {"SECRET_KEY": "x" * 50}, "True"),
        (
            "DATABASES['default']['ENGINE']",
            {"DEBUG": "1", "DATABASE_URL": "postgres://u@db.example:5432/motcua"},
            "django.db.backends.postgresql",
        ),
    ],
)
def test_settings_read_from_the_environment(expr: str, env: dict[str, str], expected: str):
    result = _run(expr, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_vietnamese_date_input_is_day_first():
    from django import forms
    from django.utils import translation

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("vi"):
        form = DateForm(data={"day": "15/03/2025"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"].isoformat() == "2025-03-15"


def test_the_installation_key_file_made_by_scripts_run_is_used(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 50 + "\n", encoding="utf-8")
    result = _run("SECRET_KEY", MOTCUA_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "k" * 50


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "1"}, "django.core.cache.backends.filebased.FileBasedCache"),
        (
            {"DEBUG": "1", "CACHE_URL": "redis://127.0.0.1:6379/1"},
            "django.core.cache.backends.redis.RedisCache",
        ),
    ],
)
def test_the_cache_is_shared_by_every_process(env: dict[str, str], expected: str):
    result = _run("CACHES['default']['BACKEND']", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_sessions_run_without_jit() -> None:
    # JIT compilation cost hundreds of ms on the queue's counts and the live report at 1 M
    # dossiers, which run in tens of ms without it; every connection turns it off.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
