#!/usr/bin/env bash
# Make the bundled CJK faces: Noto Serif CJK (Debian fonts-noto-cjk), its
# SC face subset to repertoire.py's characters, with the `locl` forms of every
# region kept (so zh-Hant, zh-HK, ja and ko text gets its own glyphs), then
# Brotli-compressed: mimeo decompresses them once, when a document needs them.
# Needs: apt-get, python3 with `pip install fonttools brotli`.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download fonts-noto-cjk
dpkg -x fonts-noto-cjk_*.deb x
python3 "$here/repertoire.py" > chars.txt
for weight in Regular Bold; do
  pyftsubset "x/usr/share/fonts/opentype/noto/NotoSerifCJK-$weight.ttc" --font-number=2 \
    --unicodes-file=chars.txt --layout-features=locl,ccmp,kern --no-hinting \
    --name-IDs='*' --name-languages='*' --notdef-outline --output-file="$weight.otf"
  python3 -c "import brotli,sys; open(sys.argv[2],'wb').write(brotli.compress(open(sys.argv[1],'rb').read(), quality=11, lgwin=24))" \
    "$weight.otf" "$here/NotoSerifCJK-Subset-$weight.otf.br"
done
cp x/usr/share/doc/fonts-noto-cjk/copyright "$here/COPYRIGHT.debian"
ls -l "$here"
