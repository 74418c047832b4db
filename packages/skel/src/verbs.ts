// One row per verb: which CNI_* variables it requires and since which spec version it exists
// (Go's skel repeats a "version >= X" block per verb; a table says it once, house style A2.7).
import type { CommandVerb } from './plugin.ts';

export type Verb = CommandVerb | 'VERSION';

export interface VerbRule {
  /** required env variables, in Go's reporting order */
  requiredEnv: readonly string[];
  /** the config's cniVersion must be at least this (CHECK 0.4.0, STATUS and GC 1.1.0) */
  minVersion?: string;
}

export const verbRules: Readonly<Record<Verb, VerbRule>> = {
  ADD: { requiredEnv: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'] },
  DEL: { requiredEnv: ['CNI_CONTAINERID', 'CNI_IFNAME', 'CNI_PATH'] }, // DEL must work without a netns
  CHECK: { requiredEnv: ['CNI_CONTAINERID', 'CNI_NETNS', 'CNI_IFNAME', 'CNI_PATH'], minVersion: '0.4.0' },
  // Go's skel requires CNI_PATH for GC and STATUS too (checklist 1.2 [DIVERGENCE] from the spec).
  STATUS: { requiredEnv: ['CNI_PATH'], minVersion: '1.1.0' },
  GC: { requiredEnv: ['CNI_PATH'], minVersion: '1.1.0' },
  VERSION: { requiredEnv: [] },
};

export function isVerb(s: string): s is Verb {
  return Object.hasOwn(verbRules, s);
}
