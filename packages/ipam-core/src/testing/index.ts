// Test helpers for packages that build on ipam-core ('@cni-ts/ipam-core/testing').
export { MemoryStore } from './memory-store.ts';
export { rangeSets } from './sets.ts';
