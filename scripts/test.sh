#!/usr/bin/env bash
# Installs what the tests need (Python packages; Debian's Chromium, CJK fonts, LibreOffice), checks the code
# (ruff lint and format, mypy; mypy --strict for the core) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# every extra: the site, the office documents and the test tools (pyproject.toml)
python3 -m pip install --quiet --disable-pip-version-check -e '.[site,office,test]'
# Debian packages the tests use: Chromium for the browser tests, a CJK font so that screenshots show Chinese,
# LibreOffice and poppler for the rendered check of exported forms. --no-remove: never replace a full LibreOffice.
APT_PACKAGES=(chromium fonts-noto-cjk libreoffice-calc-nogui poppler-utils)
MISSING=()
for pkg in "${APT_PACKAGES[@]}"; do
  # any LibreOffice with soffice on the PATH will do
  [ "$pkg" = libreoffice-calc-nogui ] && command -v soffice >/dev/null 2>&1 && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || MISSING+=("$pkg")
done
if [ "${#MISSING[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-remove "${MISSING[@]}" >/dev/null \
    || echo "注意：无法安装 ${MISSING[*]}，浏览器测试或表格渲染检查将被跳过。" >&2
fi
python3 -m ruff check --quiet .
python3 -m ruff format --check --quiet .
python3 -m mypy --no-error-summary
python3 -m mypy --no-error-summary --strict generator/core
python3 -m pytest "$@"
