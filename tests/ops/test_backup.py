"""docs/BACKUP.md, run as written: back up, restore into a fresh database and media folder, and
find the same dossiers, the same chain heads and the same file bytes, `verify_audit` passing.

Every shell line the tests run is asserted to be a line of docs/BACKUP.md, so the document and
the drill cannot drift apart; the comparison reads both databases with plain SQL and hashes the
files itself, so it does not rest on `backup_check`, which it also runs.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from tests.ops.backup_world import STATES, world_fill

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "BACKUP.md"

PG_BACKUP = [
    'mkdir -p "$BACKUP"',
    'pg_dump --format=custom --file="$BACKUP/motcua.dump" "$DATABASE_URL"',
    'tar --create --file="$BACKUP/media.tar" --directory="$MEDIA_ROOT" .',
]
PG_RESTORE = [
    'createdb --template=template0 "$RESTORE_DB"',
    'pg_restore --exit-on-error --no-owner --dbname="$RESTORE_URL" "$BACKUP/motcua.dump"',
    'mkdir -p "$RESTORE_MEDIA"',
    'tar --extract --file="$BACKUP/media.tar" --directory="$RESTORE_MEDIA"',
]
PG_VERIFY = 'DATABASE_URL="$RESTORE_URL" MEDIA_ROOT="$RESTORE_MEDIA" python -m motcua verify_audit'
PG_CHECK = (
    'DATABASE_URL="$RESTORE_URL" MEDIA_ROOT="$RESTORE_MEDIA" python -m motcua backup_check --json'
)

SQLITE_BACKUP = [
    'mkdir -p "$BACKUP"',
    """sqlite3 "$MOTCUA_DATA_DIR/motcua.sqlite3" ".backup '$BACKUP/motcua.sqlite3'\"""",
    'tar --create --file="$BACKUP/media.tar" --directory="$MOTCUA_DATA_DIR/media" .',
]
SQLITE_RESTORE = [
    'mkdir -p "$MOTCUA_DATA_DIR/media"',
    'rm -f "$MOTCUA_DATA_DIR/motcua.sqlite3-wal" "$MOTCUA_DATA_DIR/motcua.sqlite3-shm"',
    'cp "$BACKUP/motcua.sqlite3" "$MOTCUA_DATA_DIR/motcua.sqlite3"',
    'tar --extract --file="$BACKUP/media.tar" --directory="$MOTCUA_DATA_DIR/media"',
]
SQLITE_VERIFY = "python -m motcua verify_audit"
SQLITE_CHECK = "python -m motcua backup_check --json"

# Migrate, fill, and print the source's `backup_check --json` after the number of attachments
# (one process: each start of Django costs seconds on a shared machine).
FILL = (
    "import django; django.setup(); "
    "from django.core.management import call_command; "
    "call_command('migrate', verbosity=0); "
    "from tests.ops.backup_world import world_fill; print(world_fill()); "
    "call_command('backup_check', '--json')"
)


def _env(**extra: str) -> dict[str, str]:
    """The environment of a motcua process outside pytest: this checkout's code, a secret key,
    e-results off (they need each agency's certificate, which these worlds do not make)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        SECRET_KEY="backup-test-" + "k" * 40,
        MOTCUA_E_RESULTS="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def _documented(lines: list[str]) -> None:
    text = DOC.read_text(encoding="utf-8").splitlines()
    for line in lines:
        assert line in text, f"docs/BACKUP.md no longer says: {line}"


def _sh(lines: list[str], env: dict[str, str], *, ok: bool = True) -> subprocess.CompletedProcess:
    """Run documented lines in bash, stopping at the first failure."""
    _documented(lines)
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(lines)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if ok:
        assert done.returncode == 0, done.stdout + done.stderr
    return done


def _facts(cursor: Any, media: Path) -> dict[str, Any]:
    """Counts, each dossier's chain head and the bytes of each attachment and e-result."""

    def rows(sql: str) -> list[tuple]:
        cursor.execute(sql)
        return list(cursor.fetchall())

    heads = rows(
        "SELECT d.uuid, (SELECT e.hash FROM dossiers_dossierevent e WHERE e.dossier_id = d.id "
        "ORDER BY e.seq DESC LIMIT 1) FROM dossiers_dossier d"
    )
    files = rows(
        "SELECT file, sha256 FROM dossiers_attachment "
        "UNION ALL SELECT file, sha256 FROM results_resultdocument"
    )
    on_disk = {}
    for name, recorded in files:
        path = media / name
        on_disk[name] = (
            recorded,
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None,
        )
    return {
        "dossiers": rows("SELECT count(*) FROM dossiers_dossier")[0][0],
        "events": rows("SELECT count(*) FROM dossiers_dossierevent")[0][0],
        "attachments": rows("SELECT count(*) FROM dossiers_attachment")[0][0],
        "heads": {str(uuid).replace("-", ""): head for uuid, head in heads},
        "files": on_disk,
    }


def _assert_same(source: dict[str, Any], restored: dict[str, Any], *, attachments: int) -> None:
    assert restored["dossiers"] == source["dossiers"] == len(STATES) + 1
    assert restored["attachments"] == source["attachments"] == attachments
    assert restored["events"] == source["events"] > source["dossiers"]
    assert restored["heads"] == source["heads"]
    assert all(head for head in source["heads"].values())
    assert restored["files"] == source["files"]
    # Every file is there with the bytes its row recorded at upload.
    assert all(recorded == actual for recorded, actual in source["files"].values())


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_dump_and_media_restore_into_fresh_ones(tmp_path, settings):
    # With signed e-results too: their files are checked against the SHA-256 on their rows.
    settings.MOTCUA_E_RESULTS = True
    settings.DATA_DIR = tmp_path / "data"
    settings.MOTCUA_SIGNING_TRUST_ROOTS = None
    settings.MOTCUA_SIGNING_CRLS = None
    attachments = world_fill(signing=tmp_path / "data" / "signing")
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    server = f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    restore_db = f"{db['NAME']}_restored"
    env = _env(
        BACKUP=str(tmp_path / "backup"),
        DATABASE_URL=f"{server}/{db['NAME']}",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        RESTORE_DB=restore_db,
        RESTORE_URL=f"{server}/{restore_db}",
        RESTORE_MEDIA=str(tmp_path / "restored-media"),
        PGHOST=db["HOST"] or "127.0.0.1",
        PGPORT=str(db["PORT"] or 5432),
        PGUSER=db["USER"],
        PGPASSWORD=db["PASSWORD"] or "",
    )
    drop = ["dropdb", "--if-exists", restore_db]
    subprocess.run(drop, env=env, check=True, capture_output=True)
    try:
        out = io.StringIO()
        call_command("backup_check", "--json", stdout=out)
        source_check = json.loads(out.getvalue())
        with connection.cursor() as cursor:
            source = _facts(cursor, Path(settings.MEDIA_ROOT))

        _sh(PG_BACKUP, env)
        _sh(PG_RESTORE, env)
        verified = _sh([PG_VERIFY, PG_CHECK], env)
        done, _, check = verified.stdout.partition("\n")
        assert done == f"Đã kiểm tra {len(STATES) + 1} hồ sơ: toàn vẹn."
        restored_check = json.loads(check)

        import psycopg

        with psycopg.connect(env["RESTORE_URL"]) as restored_db:
            restored = _facts(restored_db.cursor(), Path(env["RESTORE_MEDIA"]))
            _assert_same(source, restored, attachments=attachments)
            assert restored_check == source_check
            results = restored_check["counts"]["results"]
            assert results > 0
            assert restored_check["ok"] and restored_check["files_checked"] == attachments + results

            # The check is a check: an event edited after the restore breaks its chain.
            restored_db.execute(
                "UPDATE dossiers_dossierevent SET payload = '{\"sua\": 1}' "
                "WHERE id = (SELECT max(id) FROM dossiers_dossierevent)"
            )
            restored_db.commit()
        broken = _sh([PG_CHECK], env, ok=False)
        assert broken.returncode == 1
        assert "nội dung đã bị sửa (mã băm không khớp)" in broken.stderr
        assert json.loads(broken.stdout)["ok"] is False
    finally:
        subprocess.run(drop, env=env, check=True, capture_output=True)


@pytest.mark.slow
def test_sqlite_online_backup_and_media_restore_into_a_fresh_data_folder(tmp_path):
    data, fresh, backup = tmp_path / "data", tmp_path / "restored", tmp_path / "backup"
    live = _env(MOTCUA_DATA_DIR=str(data), BACKUP=str(backup))
    database = data / "motcua.sqlite3"
    data.mkdir()
    # A reader held open, as the running site would: the writer's last pages stay in the WAL
    # file, which a plain copy of motcua.sqlite3 would leave behind.
    reader = sqlite3.connect(database)
    try:
        reader.execute("PRAGMA journal_mode=WAL")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
        filled = subprocess.run(
            [sys.executable, "-c", FILL],
            env=live,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert filled.returncode == 0, filled.stdout + filled.stderr
        count, _, check = filled.stdout.partition("\n")
        attachments, source_check = int(count), json.loads(check)
        assert (data / "motcua.sqlite3-wal").stat().st_size > 0
        source = _facts(reader.cursor(), data / "media")
        _sh(SQLITE_BACKUP, live)
    finally:
        reader.close()

    restore = _env(MOTCUA_DATA_DIR=str(fresh), BACKUP=str(backup))
    _sh(SQLITE_RESTORE, restore)
    verified = _sh([SQLITE_VERIFY, SQLITE_CHECK], restore)
    done, _, check = verified.stdout.partition("\n")
    assert done == f"Đã kiểm tra {len(STATES) + 1} hồ sơ: toàn vẹn."
    restored_check = json.loads(check)
    with sqlite3.connect(fresh / "motcua.sqlite3") as restored_db:
        restored = _facts(restored_db.cursor(), fresh / "media")
    _assert_same(source, restored, attachments=attachments)
    assert restored_check == source_check
    assert restored_check["ok"] and restored_check["files_checked"] == attachments

    # The check is a check: a file lost or changed in the restored media folder is reported.
    names = sorted(restored["files"])
    (fresh / "media" / names[0]).unlink()
    (fresh / "media" / names[1]).write_bytes(b"\x89PNG not the same bytes")
    broken = _sh([SQLITE_CHECK], restore, ok=False)
    assert broken.returncode == 1
    assert f"tệp {names[0]}: thiếu tệp" in broken.stderr
    assert f"tệp {names[1]}: nội dung khác mã SHA-256 đã ghi" in broken.stderr
