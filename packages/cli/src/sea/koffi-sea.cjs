// Single executable only: scripts/build-sea.mjs aliases `koffi` to this file and defines __KOFFI_ASSET__ (the
// content-hashed asset key of the koffi.node embedded in the executable). The raw native module is the koffi API.
const sea = require('node:sea');
const { loadEmbeddedNative } = require('./native-module.ts');
const { nativeDir } = require('./native-dir.ts');

module.exports = loadEmbeddedNative(__KOFFI_ASSET__, nativeDir(process.env), (key) => sea.getRawAsset(key));
