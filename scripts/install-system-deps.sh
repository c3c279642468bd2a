#!/usr/bin/env bash
# System packages the test suite needs that PyPI cannot provide:
#   chromium           renders the HTML report in a real browser test
#   fonts-dejavu-core  a TTF font with Latin, Greek, Cyrillic and Arabic glyphs, for the
#                      PDFs the tests generate with fpdf2
# Installed only when missing and when we can (root with apt-get); otherwise the tests
# that need them say why they skipped.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# Chinese and Urdu glyphs for the manuals benchmark's generated PDFs (tests do not need them).
fc-list 2>/dev/null | grep -qi microhei || need+=(fonts-wqy-microhei)
fc-list 2>/dev/null | grep -qi amiri || need+=(fonts-hosny-amiri)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not root or no apt-get; missing: ${need[*]} (those tests will skip)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || echo "install-system-deps: apt-get could not install ${need[*]}" >&2
exit 0
