// Once per e2e run: pick the run's tag (every namespace and temp dir of the run carries it) and, when the run ends
// however it ends, sweep away anything a cell could not remove itself.
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { destroyNetns, listNetns } from './netns.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runTag: string;
  }
}

export default function setup(project: TestProject): () => Promise<void> {
  // short: namespace names end up in error messages and the table; "ct" = cni-ts
  const tag = `ct${randomBytes(2).toString('hex')}`;
  project.provide('runTag', tag);
  return async () => {
    for (const name of await listNetns(`${tag}-`)) await destroyNetns(name);
    for (const d of await readdir(tmpdir())) {
      if (d.startsWith(`cni-ts-e2e-${tag}-`)) await rm(join(tmpdir(), d), { recursive: true, force: true });
    }
  };
}
