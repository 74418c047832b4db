// The runner itself, as a runtime: VERSION probing of real executables, and the built `cni-ts run` tool (cnitool's
// interface) driving the reference plugins and ours inside a cell's host namespace.
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cnitoolContainerId, parseNetworkConfigList } from '@cni-ts/cli/run';
import { describe, expect, it } from 'vitest';
import { allVersions, type Cell, type Impl } from '../matrix.ts';
import { cellConflist } from '../harness/conflists.ts';
import { links } from '../harness/kernel.ts';
import { assertBuilt, cliExecutable, ourPlugin, ourPluginNames, referencePlugin } from '../harness/paths.ts';
import { tool } from '../harness/proc.ts';
import { Sandbox } from '../harness/sandbox.ts';
import { expectClean, sandboxFor } from '../harness/scenario.ts';

describe.concurrent('VERSION probing', () => {
  it('our built plugins support all seven versions, and a 1.1.0 list of them validates', async () => {
    await using sb = await Sandbox.create({ plugins: Object.fromEntries(ourPluginNames.map((n) => [n, ourPlugin(n)])), containers: 0 });
    for (const name of ourPluginNames) {
      expect((await sb.runner.versionInfo(name)).supportedVersions, name).toEqual(allVersions);
    }
    const c: Cell = { id: 'v', ipam: 'host-local', version: '1.1.0', family: 'dual', masq: 'nftables', bridgeImpl: 'ours', ipamImpl: 'ours' };
    expect(await sb.runner.validate(parseNetworkConfigList(Buffer.from(JSON.stringify(cellConflist(c, sb)))))).toEqual([]);
  });

  it('the reference plugins (1.1.1) stop at 1.0.0, so validating a 1.1.0 list of them fails', async () => {
    await using sb = await Sandbox.create({ plugins: { bridge: referencePlugin('bridge'), 'host-local': referencePlugin('host-local') }, containers: 0 });
    expect((await sb.runner.versionInfo('bridge')).supportedVersions).toEqual(allVersions.slice(0, 6));
    const c: Cell = { id: 'v', ipam: 'host-local', version: '1.1.0', family: 'ipv4', masq: 'none', bridgeImpl: 'ref', ipamImpl: 'ref' };
    await expect(sb.runner.validate(parseNetworkConfigList(Buffer.from(JSON.stringify(cellConflist(c, sb))))))
      .rejects.toThrow('plugin bridge does not support config version "1.1.0"');
  });
});

/** `cni-ts run ...` inside the cell's host namespace, with cnitool's environment. */
async function cniTs(sb: Sandbox, args: string[], env: Record<string, string> = {}) {
  return tool('ip', ['netns', 'exec', sb.host.name, cliExecutable, 'run', ...args], {
    allowFail: true,
    env: {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      NETCONFPATH: join(sb.dir, 'net.d'), CNI_PATH: sb.binDir, CNI_CACHE_DIR: sb.cacheDir, ...env,
    },
  });
}

describe.concurrent('cni-ts run (the built executable)', () => {
  it.for<[Impl, Cell['version']]>([['ref', '1.0.0'], ['ours', '1.1.0']])('add, check, gc --valid, status, del with %s plugins at %s', async ([impl, version]) => {
    assertBuilt(cliExecutable);
    const c: Cell = { id: 'cli', ipam: 'host-local', version, family: 'ipv4', masq: 'iptables', bridgeImpl: impl, ipamImpl: impl };
    await using sb = await sandboxFor(c);
    const second = await sb.addContainer();
    await mkdir(join(sb.dir, 'net.d'));
    await writeFile(join(sb.dir, 'net.d', '10-e2e.conflist'), JSON.stringify(cellConflist(c, sb)));
    const [c1, c2] = [sb.containers[0]!, second];

    const add1 = await cniTs(sb, ['add', sb.network, c1.path]);
    expect(add1.code, add1.stderr).toBe(0);
    const result = JSON.parse(add1.stdout) as { cniVersion: string; ips: Array<{ address: string }> };
    expect(result.cniVersion).toBe(version);
    // the cache entry carries cnitool's container id, in libcni's format
    const entry = join(sb.cacheDir, 'results', `${sb.network}-${cnitoolContainerId(c1.path)}-eth0`);
    expect((await stat(entry)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(entry, 'utf8'))).toMatchObject({ kind: 'cniCacheV1', netns: c1.path, ifName: 'eth0', result });

    expect((await cniTs(sb, ['add', sb.network, c2.path, '-i', 'net1'])).code).toBe(0);
    expect((await cniTs(sb, ['check', sb.network, c1.path])).code).toBe(0);
    expect((await cniTs(sb, ['status', sb.network])).code).toBe(0);
    // GC keeps c1 and DELs c2 (step 1, from the cache)
    const gc = await cniTs(sb, ['gc', sb.network, '--valid', `${cnitoolContainerId(c1.path)}:eth0`]);
    expect(gc.code, gc.stderr).toBe(0);
    expect((await links(c2)).map((l) => l.ifname)).toEqual(['lo']);
    expect((await links(c1)).map((l) => l.ifname).sort()).toEqual(['eth0', 'lo']);

    const del = await cniTs(sb, ['del', sb.network, c1.path]);
    expect(del.code, del.stderr).toBe(0);
    await expectClean(c, sb, result.ips.map((ip) => ip.address.split('/')[0]!));

    const missing = await cniTs(sb, ['add', 'no-such-net', c1.path]);
    expect([missing.code, missing.stderr]).toEqual([1, `no net configuration with name "no-such-net" in ${join(sb.dir, 'net.d')}\n`]);
  });
});
