#!/usr/bin/env bash
# gantry's main job on bundled sample data: builds sample images, starts a local registry, copies the images
# with gantry (layout → registry → layout, multi-arch included) and inspects them back. Stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec node dist/scripts/demo.js "$@"
