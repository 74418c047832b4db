#!/usr/bin/env bash
# README command B: set up (idempotent), then every test: typecheck, lint, unit, kernel (netns) and e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TURBO_TELEMETRY_DISABLED=1
pnpm turbo run typecheck lint test --output-logs=new-only --log-order=grouped
