#!/usr/bin/env bash
# One-time (and idempotent) set-up for a fresh Debian machine with Node 20 and npm, run as root:
# bootstraps the pinned pnpm, installs the Debian packages that the plugins and tests need, installs
# the workspace and builds the plugins into dist/bin. Both README commands start with this.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
  echo "setup: run as root (the plugins and their tests create network namespaces)" >&2
  exit 1
fi

pnpm_version=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version"
  npm install --global --no-audit --no-fund "pnpm@$pnpm_version" >/dev/null
fi

# iproute2: test fixtures inspect namespaces with `ip` (the product never spawns it);
# iptables/nftables: bridge ipMasq backends; dnsmasq-base: dnsmasq-ipam;
# containernetworking-plugins: the Go reference plugins in /usr/lib/cni for differential tests and benchmarks;
# iputils-ping, time, jq: connectivity checks, bench tools and reference-result diffs.
packages=(iproute2 iptables nftables dnsmasq-base containernetworking-plugins iputils-ping time jq)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export TURBO_TELEMETRY_DISABLED=1
pnpm install --frozen-lockfile
pnpm build
