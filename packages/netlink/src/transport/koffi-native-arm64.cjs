// Bundles only: scripts/bundle.mjs aliases `koffi` to this file, because koffi 3's own loader picks its
// binary through a dynamic require esbuild cannot follow. The raw native module is the koffi API itself.
module.exports = require('@koromix/koffi-linux-arm64/linux_arm64/koffi.node');
