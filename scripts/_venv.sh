# Sourced by scripts/run and scripts/test: make .venv and install the project into it.
# Re-installs only when pyproject.toml changed since the last install (a stamp file remembers).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_system.sh"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
EXTRAS="${1:-}"
if [ ! -x .venv/bin/python ]; then
    echo "→ Tạo môi trường ảo .venv (creating the virtual environment)"
    "$PYTHON" -m venv .venv
fi
STAMP=".venv/.motcua-installed${EXTRAS:+-$EXTRAS}"
WANT="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
    echo "→ Cài đặt phụ thuộc (installing dependencies)"
    .venv/bin/python -m pip install --quiet --upgrade pip > .venv/pip.log 2>&1 || true
    if ! .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}" >> .venv/pip.log 2>&1; then
        grep -v '^WARNING: Location' .venv/pip.log | tail -30
        echo "cài đặt thất bại (install failed): xem .venv/pip.log"
        exit 1
    fi
    echo "$WANT" > "$STAMP"
fi
