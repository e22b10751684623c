#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (a downloaded Playwright browser does not run here), with a CJK
# font: without one Chromium draws every Chinese character as a box (e2e/zh-cn-ui.e2e.test.ts checks it).
set -euo pipefail
has_cjk_font() { fc-list :lang=zh 2>/dev/null | grep -q .; }
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
has_cjk_font || missing+=(fonts-noto-cjk)
if [ "${#missing[@]}" = 0 ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "missing: ${missing[*]}: run 'sudo apt-get update && sudo apt-get install -y ${missing[*]}'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
