// The installer's record of what it put into a destination directory. It is the only evidence that a file
// there is ours: install refuses to overwrite, and uninstall refuses to delete, anything that is not listed
// here with the content (hash or link target) that is on disk now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { writeFileAtomic } from './atomic-file.ts';

export const MANIFEST_NAME = '.cni-ts-manifest.json';

const ManifestEntry = z.object({
  /** 'plugin': selected by name; 'support': a shared file (native module, multi-call binary) kept while needed. */
  role: z.enum(['plugin', 'support']),
  /** sha256 of a regular file's content, as installed. */
  sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  /** The target of a symbolic link, as installed. */
  symlink: z.optional(z.string()),
  /** Support files this entry needs beside it. */
  needs: z._default(z.array(z.string()), []),
});
export type ManifestEntry = z.output<typeof ManifestEntry>;

const Manifest = z.object({
  tool: z.literal('cni-ts'),
  format: z.literal(1),
  files: z.record(z.string(), ManifestEntry),
});
export type Manifest = z.output<typeof Manifest>;

export function emptyManifest(): Manifest {
  return { tool: 'cni-ts', format: 1, files: {} };
}

/** The manifest in `dest`, or an empty one when there is none yet. A corrupt manifest is an error, not "empty". */
export function readManifest(dest: string): Manifest {
  const file = join(dest, MANIFEST_NAME);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not valid JSON; refusing to guess which files cni-ts installed`, { cause: err });
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${file} is not a cni-ts manifest (${z.prettifyError(parsed.error).replaceAll('\n', ' ')})`);
  }
  return parsed.data;
}

/** Writes the manifest atomically, entries sorted so the file diffs cleanly. Mode 0644: it holds no secrets. */
export function writeManifest(dest: string, manifest: Manifest): void {
  const files = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => a.localeCompare(b)));
  const text = `${JSON.stringify({ ...manifest, files }, null, 2)}\n`;
  writeFileAtomic(dest, MANIFEST_NAME, Buffer.from(text), 0o644);
}
