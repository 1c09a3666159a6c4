#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian's Chromium for the browser tests and a CJK font, so that
# screenshots show Chinese rather than boxes), checks the code (ruff lint and format, mypy; mypy --strict for the
# core) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e '.[test]'
not_installed() {  # a Debian package that dpkg does not list as installed
  command -v dpkg-query >/dev/null 2>&1 && ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"
}
MISSING=()
[ -x /usr/bin/chromium ] || MISSING+=(chromium)
not_installed fonts-noto-cjk && MISSING+=(fonts-noto-cjk)
if [ "${#MISSING[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${MISSING[@]}" >/dev/null \
    || echo "注意：无法安装 ${MISSING[*]}，浏览器测试将被跳过或截图中的中文显示为方框。" >&2
fi
python3 -m ruff check --quiet .
python3 -m ruff format --check --quiet .
python3 -m mypy --no-error-summary
python3 -m mypy --no-error-summary --strict generator/core
python3 -m pytest "$@"
