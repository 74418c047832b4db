// Test helpers for packages that build on ipam-core ('@cni-ts/ipam-core/testing').
export { MemoryStore } from './memory-store.ts';
export { rangeSets } from './sets.ts';
export { buildPlugin, type BuiltPlugin } from './plugin-bundle.ts';
export { execPlugin, mapLimit, pluginEnv, type PluginRun, type PluginOutput } from './plugin-process.ts';
