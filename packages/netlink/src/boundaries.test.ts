// Item 7: the package knows nothing of CNI. No dependency on, and no import from, skel or ipam-core.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|cjs|mjs)$/.test(name)) yield p;
  }
}

test('no dependency on or import from @cni-ts/skel or @cni-ts/ipam-core', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies });
  expect(deps.sort()).toEqual(['@koromix/koffi-linux-arm64', '@koromix/koffi-linux-x64', 'ipaddr.js', 'koffi']);
  const offenders: string[] = [];
  for (const dir of ['src', 'bench', 'scripts']) {
    for (const f of files(join(root, dir))) {
      if (/from\s+['"]@cni-ts\/(?!netlink)|require\(['"]@cni-ts\/(?!netlink)/.test(readFileSync(f, 'utf8'))) offenders.push(f);
    }
  }
  expect(offenders).toEqual([]);
});
