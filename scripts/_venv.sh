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
    .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
    .venv/bin/python -m pip install --quiet -e ".${EXTRAS:+[$EXTRAS]}" 2>&1 \
        | grep -v '^WARNING: Location' || true
    .venv/bin/python -c "import motcua, django" || { echo "cài đặt thất bại (install failed)"; exit 1; }
    echo "$WANT" > "$STAMP"
fi
