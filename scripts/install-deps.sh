#!/usr/bin/env bash
# Installs what gantry's tests, demo and benchmarks need on Debian: the real registry (CNCF distribution 2.8),
# the reference clients skopeo and umoci, openssl for test CAs, curl, chromium for the web UI tests; then the npm packages
# from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v docker-registry >/dev/null || need+=(docker-registry)
command -v skopeo >/dev/null || need+=(skopeo)
command -v umoci >/dev/null || need+=(umoci)
command -v openssl >/dev/null || need+=(openssl)
command -v xz >/dev/null || need+=(xz-utils)
# curl: the serve tests run the documented `curl -L -k …/all.json -C - -o FILE` command as it is.
command -v curl >/dev/null || need+=(curl)
# The web UI's browser tests drive Debian's chromium with playwright-core (no browser download).
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# npm ci only when the lockfile changed since the last install (a fresh clone always installs).
stamp=node_modules/.gantry-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
npm run --silent build
