#!/usr/bin/env bash
# README command A: set up (idempotent), then the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node scripts/demo.mjs
