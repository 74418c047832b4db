#!/usr/bin/env bash
# README command B: set up (idempotent), then every test: typecheck, lint, unit, kernel (netns) and e2e;
# then the e2e suite once more, against the single executable (dist/sea) instead of the plain bundles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export TURBO_TELEMETRY_DISABLED=1
turbo_output=$(mktemp)
sea_output=$(mktemp)
native_dir=$(mktemp -d) # where the single executable extracts koffi.node, instead of /var/lib/cni-ts/native
trap 'rm -rf "$turbo_output" "$sea_output" "$native_dir"' EXIT
if ! pnpm turbo run typecheck lint test --only --continue --output-logs=new-only --log-order=grouped 2>&1 | tee "$turbo_output"; then
  node scripts/print-failures.mjs "$turbo_output"
  exit 1
fi
# build:sea takes ~4 s and ~630 MB (postject), so `pnpm build` does not depend on it; the second e2e pass ~3 min.
pnpm build:sea
if ! CNI_TS_NATIVE_DIR="$native_dir" CNI_TS_E2E_BIN="$PWD/dist/sea" pnpm --filter @cni-ts/e2e test 2>&1 | tee "$sea_output"; then
  node scripts/print-failures.mjs "$sea_output" "@cni-ts/e2e#test against dist/sea"
  exit 1
fi
