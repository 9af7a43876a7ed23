#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks drive for real
# (Chromium, coturn, Redis, PostgreSQL, native tesseract, ImageMagick, CJK fonts, Xvfb).
# Idempotent: does nothing when everything is present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v turnserver >/dev/null 2>&1 || need+=(coturn)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/jpn.traineddata ] || need+=(tesseract-ocr-jpn)
# /usr/local/bin/convert may be a stand-in on these machines: check ImageMagick's own binary.
[ -x /usr/bin/convert ] || need+=(imagemagick)
fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
# network impairment e2e (issue 16): tc (iproute2) and nftables in a namespace
command -v tc >/dev/null 2>&1 || need+=(iproute2)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v openssl >/dev/null 2>&1 || need+=(openssl)   # test CA for the organisation-certificate tests (issue 17)
# the reporting tests and bench start their own throw-away PostgreSQL cluster
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
echo "system-deps: installing ${need[*]}" >&2
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: not root; run: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
