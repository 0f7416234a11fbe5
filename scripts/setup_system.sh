#!/usr/bin/env bash
# System (Debian) packages that some conflictlens features need.  Idempotent:
# each block installs its packages only when they are missing, and a failed
# install is reported but does not stop the other blocks.
#
#   bash scripts/setup_system.sh          # as root, or with sudo available
#
# One block per need; keep additions additive.
set -u

APT_UPDATED=0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
fi

# need_pkgs PKG... : print the packages that dpkg does not list as installed
need_pkgs() {
  local missing=()
  for p in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  echo "${missing[@]:-}"
}

# apt_install WHY PKG... : install the missing packages, once apt's lists are fresh
apt_install() {
  local why="$1"; shift
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "setup_system: no apt/dpkg here; install by hand for ${why}: $*" >&2
    return 0
  fi
  local missing
  missing="$(need_pkgs "$@")"
  if [ -z "${missing// /}" ]; then
    echo "setup_system: ${why}: already installed"
    return 0
  fi
  if [ "$APT_UPDATED" -eq 0 ]; then
    $SUDO apt-get update -q >/dev/null 2>&1 || true
    APT_UPDATED=1
  fi
  # shellcheck disable=SC2086
  if DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null; then
    echo "setup_system: ${why}: installed ${missing}"
  else
    echo "setup_system: ${why}: could not install ${missing} (the feature or its tests will skip)" >&2
  fi
}

# --- report (issue 9): WeasyPrint's Pango/HarfBuzz libraries for PDF, a font, and
#     pdftoppm (poppler-utils) to turn test PDFs into PNG pages
apt_install "report PDF" libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core poppler-utils

# --- web dashboard (issue 7): headless Chromium that the Playwright browser tests drive
#     (tests/web launch /usr/bin/chromium; `playwright install` cannot download browsers here)
if ! command -v chromium >/dev/null 2>&1; then
  apt_install "dashboard browser tests" chromium
fi

exit 0
