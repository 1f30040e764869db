#!/usr/bin/env bash
# Vendor the front-end libraries into static/vendor/ so that the platform runs with no internet.
#
# Deployments sit on a government intranet: no page may load anything from a CDN. The files this
# script writes are committed; run it only to upgrade a library (change the version below, run it,
# look at the pages, commit the result).
#
# Pinned versions (npm registry):
#   @tabler/core           1.6.1   -> static/vendor/tabler/          (MIT)
#   @tabler/icons-webfont  3.49.0  -> static/vendor/tabler-icons/    (MIT)
#   echarts                6.1.0   -> static/vendor/echarts/         (Apache-2.0)
# htmx is not vendored here: django-htmx ships it (static path django_htmx/htmx-2.min.js, loaded
# with {% load django_htmx %}{% htmx_script %}).
#
# What is kept, and why:
# - Tabler: dist/css/tabler.min.css and dist/js/tabler.min.js (Bootstrap's JS is bundled in it).
#   The `sourceMappingURL` comments are stripped instead of shipping the 2 MB of maps, so that a
#   ManifestStaticFilesStorage collectstatic does not fail on a missing .map file. No rtl, flags,
#   payments, socials or marketing css.
# - Tabler Icons: tabler-icons.min.css with woff2 + woff only; the css is rewritten to drop the ttf
#   source and the `?v=` cache busters (the manifest storage adds content hashes itself). The css
#   keeps `./fonts/...` relative paths, so css and fonts/ stay side by side.
# - ECharts: dist/echarts.min.js (for charts), with LICENSE and NOTICE.
# The @tabler/core npm package has no LICENSE file; its MIT text (from the Tabler repository) is
# written below.
#
# Usage: scripts/vendor_static.sh   (needs npm and network access to the npm registry)
set -euo pipefail

TABLER_VERSION="1.6.1"
TABLER_ICONS_VERSION="3.49.0"
ECHARTS_VERSION="6.1.0"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/static/vendor"
WORK="$(mktemp -d /tmp/vendor.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

unpack() {  # unpack <npm spec> <directory name>
    (cd "$WORK" && npm pack --silent "$1" >/dev/null)
    mkdir -p "$WORK/$2"
    tar xzf "$WORK"/*.tgz -C "$WORK/$2" --strip-components=1
    rm -f "$WORK"/*.tgz
}

strip_source_map() {  # drop the sourceMappingURL comment (css and js forms)
    sed -i -E 's@/\*# sourceMappingURL=[^*]*\*/@@g; s@//# sourceMappingURL=.*$@@' "$1"
}

rm -rf "$VENDOR/tabler" "$VENDOR/tabler-icons" "$VENDOR/echarts"
mkdir -p "$VENDOR/tabler/css" "$VENDOR/tabler/js" "$VENDOR/tabler-icons/fonts" "$VENDOR/echarts"

# --- @tabler/core -------------------------------------------------------------------------------
unpack "@tabler/core@$TABLER_VERSION" tabler
cp "$WORK/tabler/dist/css/tabler.min.css" "$VENDOR/tabler/css/"
cp "$WORK/tabler/dist/js/tabler.min.js" "$VENDOR/tabler/js/"
strip_source_map "$VENDOR/tabler/css/tabler.min.css"
strip_source_map "$VENDOR/tabler/js/tabler.min.js"
cat >"$VENDOR/tabler/LICENSE" <<'EOF'
The MIT License (MIT)

Copyright (c) 2018-2026 The Tabler Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
EOF
rm -rf "$WORK/tabler"

# --- @tabler/icons-webfont ----------------------------------------------------------------------
unpack "@tabler/icons-webfont@$TABLER_ICONS_VERSION" icons
cp "$WORK/icons/LICENSE" "$VENDOR/tabler-icons/"
cp "$WORK/icons/dist/fonts/tabler-icons.woff2" "$WORK/icons/dist/fonts/tabler-icons.woff" \
    "$VENDOR/tabler-icons/fonts/"
sed -E \
    -e 's@,url\("\./fonts/tabler-icons\.ttf[^"]*"\) format\("truetype"\)@@' \
    -e 's@url\("\./fonts/(tabler-icons\.woff2?)\?[^"]*"\)@url("./fonts/\1")@g' \
    "$WORK/icons/dist/tabler-icons.min.css" >"$VENDOR/tabler-icons/tabler-icons.min.css"
strip_source_map "$VENDOR/tabler-icons/tabler-icons.min.css"
if grep -q 'ttf\|?v' "$VENDOR/tabler-icons/tabler-icons.min.css"; then
    echo "tabler-icons.min.css: font sources not rewritten as expected" >&2
    exit 1
fi
rm -rf "$WORK/icons"

# --- echarts ------------------------------------------------------------------------------------
unpack "echarts@$ECHARTS_VERSION" echarts
cp "$WORK/echarts/dist/echarts.min.js" "$WORK/echarts/LICENSE" "$WORK/echarts/NOTICE" \
    "$VENDOR/echarts/"
mkdir -p "$VENDOR/echarts/licenses"
cp "$WORK/echarts/licenses/LICENSE-d3" "$VENDOR/echarts/licenses/"
strip_source_map "$VENDOR/echarts/echarts.min.js"
rm -rf "$WORK/echarts"

echo "Vendored into $VENDOR:"
du -sh "$VENDOR"/*
