# Sourced by scripts/_venv.sh: install the Debian packages the project needs outside Python
# (WeasyPrint's Pango libraries, a Times-compatible serif font with Vietnamese glyphs, Chromium for
# the browser tests) — only those missing, only with apt-get, and only when running as root;
# otherwise just say what to do.
MOTCUA_SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 fonts-dejavu-core)
# The end-to-end tests drive Debian's Chromium through Playwright (never `playwright install`).
MOTCUA_SYSTEM_PACKAGES+=(chromium)
# The signing tests render signed pages to PNG and read their text (pdftoppm, pdftotext).
MOTCUA_SYSTEM_PACKAGES+=(poppler-utils)
# The backup tests run docs/BACKUP.md's own commands: sqlite3's online backup (pg_dump and
# pg_restore come with the PostgreSQL the tests run against).
MOTCUA_SYSTEM_PACKAGES+=(sqlite3)
_motcua_missing=()
for _pkg in "${MOTCUA_SYSTEM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$_pkg" 2>/dev/null | grep -q "ok installed"; then
        _motcua_missing+=("$_pkg")
    fi
done
if [ "${#_motcua_missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "→ Cài gói hệ thống (installing system packages): ${_motcua_missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -qq --no-install-recommends "${_motcua_missing[@]}" >/dev/null 2>&1; then
            apt-get update -qq >/dev/null 2>&1 || true
            apt-get install -y -qq --no-install-recommends "${_motcua_missing[@]}" >/dev/null \
                || echo "cảnh báo: không cài được (warning: could not install) ${_motcua_missing[*]}"
        fi
    else
        echo "cảnh báo: thiếu gói hệ thống (warning: missing system packages): ${_motcua_missing[*]}"
        echo "  sudo apt-get install ${_motcua_missing[*]}"
    fi
fi
unset _pkg _motcua_missing
