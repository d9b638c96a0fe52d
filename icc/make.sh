#!/usr/bin/env bash
# Remakes mimeo-FOGRA39L.icc, the CMYK output profile of mimeo's PDF/X-4
# print files, from FOGRA39L.ti3 (Debian `icc-profiles-free`, Zlib licence)
# with ArgyllCMS's colprof (Debian `argyll`). Not run by the build or CI:
# the profile is committed; colprof stamps the date in it.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
cp /usr/share/color/icc/FOGRA39L.ti3 "$tmp/"
colprof -ql -bl -nc -l300 -kr \
  -D "mimeo FOGRA39L (coated, from the Zlib FOGRA39L.ti3 of icc-profiles-free)" \
  -C "Profile made with ArgyllCMS colprof from FOGRA39L.ti3 (Zlib licence, Kai-Uwe Behrmann); Zlib licence" \
  "$tmp/FOGRA39L"
cp "$tmp/FOGRA39L.icc" mimeo-FOGRA39L.icc
rm -r "$tmp"
