#!/usr/bin/env bash
# Re-vendor the dashboard's third-party assets from npm (build time only; the
# result is committed, so running the dashboard needs neither npm nor a network).
#   bash conflictlens/web/vendor.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DEST="$HERE/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm init -y >/dev/null
npm install --no-audit --no-fund leaflet@1.9.4 leaflet.markercluster@1.5.3 topojson-client@3.1.0 world-atlas@2.0.2 >/dev/null
NM="$TMP/node_modules"
rm -rf "$DEST" && mkdir -p "$DEST/leaflet" "$DEST/markercluster" "$DEST/topojson-client" "$DEST/world-atlas"
cp "$NM/leaflet/dist/leaflet.js" "$NM/leaflet/dist/leaflet.css" "$NM/leaflet/LICENSE" "$DEST/leaflet/"
cp "$NM/leaflet.markercluster/dist/leaflet.markercluster.js" "$NM/leaflet.markercluster/dist/MarkerCluster.css" \
   "$NM/leaflet.markercluster/dist/MarkerCluster.Default.css" "$NM/leaflet.markercluster/MIT-LICENCE.txt" "$DEST/markercluster/"
cp "$NM/topojson-client/dist/topojson-client.min.js" "$NM/topojson-client/LICENSE" "$DEST/topojson-client/"
cp "$NM/world-atlas/countries-110m.json" "$NM/world-atlas/LICENSE" "$DEST/world-atlas/"
echo "vendored into $DEST"
