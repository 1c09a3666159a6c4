#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian's Chromium for the browser tests), checks the code
# (ruff lint and format, mypy; mypy --strict for the core) and runs the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
# every extra: the site, the office documents and the test tools (pyproject.toml)
python3 -m pip install --quiet --disable-pip-version-check -e '.[site,office,test]'
if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null \
      || echo "注意：无法安装 Chromium，浏览器测试将被跳过。" >&2
  fi
fi
python3 -m ruff check --quiet .
python3 -m ruff format --check --quiet .
python3 -m mypy --no-error-summary
python3 -m mypy --no-error-summary --strict generator/core
python3 -m pytest "$@"
