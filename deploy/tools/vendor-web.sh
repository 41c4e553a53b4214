#!/usr/bin/env bash
# Third-party browser code the public pages use, from the npm registry at build time, put
# where the service serves it (/web/vendor): Leaflet for the neighborhood maps. Without it
# the pages show the booths as a list. Usage: deploy/tools/vendor-web.sh [target-dir]
set -euo pipefail
LEAFLET_VERSION=1.9.4
target=${1:-"$(cd "$(dirname "$0")/../.." && pwd)/ingest/http/web/vendor"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm install --no-save --no-audit --no-fund --prefix "$work" "leaflet@$LEAFLET_VERSION" >/dev/null
rm -rf "$target/leaflet"
mkdir -p "$target/leaflet/images"
dist="$work/node_modules/leaflet/dist"
cp "$dist/leaflet.js" "$dist/leaflet.css" "$target/leaflet/"
cp "$dist"/images/*.png "$target/leaflet/images/"
cp "$work/node_modules/leaflet/LICENSE" "$target/leaflet/LICENSE"
echo "Leaflet $LEAFLET_VERSION in $target/leaflet"
