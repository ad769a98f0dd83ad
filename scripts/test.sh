#!/usr/bin/env bash
# The whole test suite: unit tests, then integration and end-to-end tests against real docker-registry
# processes (plain, htpasswd, TLS, token auth), cross-checked with skopeo and umoci. Extra args filter files.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec node scripts/run-tests.mjs "$@"
