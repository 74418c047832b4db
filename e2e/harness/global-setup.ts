// Once per e2e run: pick the run's tag (every namespace and temp dir of the run carries it) and, when the run ends
// however it ends, sweep away anything a cell could not remove itself. A run that was killed outright (SIGKILL, a
// crashed worker host) cannot sweep; the next run does it for it, recognising dead runs by their owner pid.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { alive } from '../../vitest.netns-sweep.ts';
import { destroyNetns, listNetns } from './netns.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runTag: string;
  }
}

/** `<tmp>/cni-ts-e2e-runs/<tag>` holds the pid of the vitest process that owns the tag. */
const runsDir = join(tmpdir(), 'cni-ts-e2e-runs');

async function sweep(tag: string): Promise<void> {
  for (const name of await listNetns(`${tag}-`)) await destroyNetns(name);
  for (const d of await readdir(tmpdir())) {
    if (d.startsWith(`cni-ts-e2e-${tag}-`)) await rm(join(tmpdir(), d), { recursive: true, force: true });
  }
  await rm(join(runsDir, tag), { force: true });
}

/** Sweeps the leftovers of earlier runs whose process is gone (never those of a run still going). */
async function sweepDeadRuns(): Promise<void> {
  for (const tag of await readdir(runsDir).catch(() => [])) {
    const pid = Number(await readFile(join(runsDir, tag), 'utf8').catch(() => ''));
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) await sweep(tag);
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // short: namespace names end up in error messages and the table; "ct" = cni-ts
  const tag = `ct${randomBytes(2).toString('hex')}`;
  await sweepDeadRuns();
  await mkdir(runsDir, { recursive: true });
  await writeFile(join(runsDir, tag), String(process.pid));
  project.provide('runTag', tag);
  return () => sweep(tag);
}
