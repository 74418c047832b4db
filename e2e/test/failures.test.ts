// Item 4 of issue 8: the failures a runtime meets. Each test runs our built plugins in its own sandbox.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import type { Cell } from '../matrix.ts';
import { globalAddrs } from '../harness/kernel.ts';
import { attachments, cellList, expectClean, sandboxFor } from '../harness/scenario.ts';
import { snapshot } from '../harness/snapshot.ts';
import { cellConflist } from '../harness/conflists.ts';
import { parseNetworkConfigList, type RawResult } from '@cni-ts/cli/run';

const cell = (ipam: Cell['ipam'], version: Cell['version'], family: Cell['family'], masq: Cell['masq']): Cell => ({
  id: `${ipam} ${version} ${family} ${masq}`, ipam, version, family, masq, bridgeImpl: 'ours', ipamImpl: 'ours',
});
const bare = (a: string) => a.split('/')[0] ?? a;
const ipsOf = (r: RawResult) => ((r.ips ?? []) as Array<{ address: string }>).map((ip) => bare(ip.address));

// DEL must succeed and release everything when the runtime already removed the namespace: the veth went with it,
// but the IPAM reservation, the masquerade rules and the cache entry are outside it. At 0.3.1 DEL has no prevResult.
it.concurrent.for([
  cell('host-local', '1.0.0', 'dual', 'iptables'),
  cell('host-local', '1.1.0', 'dual', 'nftables'),
  cell('host-local', '0.3.1', 'ipv4', 'iptables'),
  cell('static', '1.0.0', 'ipv4', 'nftables'),
  cell('dnsmasq-ipam', '1.1.0', 'ipv4', 'iptables'),
])('DEL after the container namespace was deleted: $id', async (c) => {
  await using sb = await sandboxFor(c);
  const list = cellList(c, sb);
  const [rt] = attachments(sb);
  const result = await sb.runner.add(list, rt!);
  const gone = sb.containers.splice(0, 1)[0]!;
  await gone.destroy();
  await sb.runner.del(list, rt!);
  await sb.runner.del(list, rt!);
  await expectClean(c, sb, ipsOf(result));
});

it.concurrent('DEL twice, and DEL of an attachment that was never added', async () => {
  const c = cell('host-local', '1.0.0', 'ipv4', 'nftables');
  await using sb = await sandboxFor(c);
  const list = cellList(c, sb);
  const [rt] = attachments(sb);
  await sb.runner.del(list, rt!); // never added: nothing to do, and nothing may be created
  await sb.runner.del(list, rt!);
  await expectClean(c, sb, []);
  const result = await sb.runner.add(list, rt!);
  await sb.runner.del(list, rt!);
  await sb.runner.del(list, rt!);
  await expectClean(c, sb, ipsOf(result));
});

it.concurrent.for([
  cell('host-local', '1.0.0', 'dual', 'iptables'),
  cell('static', '0.4.0', 'ipv4', 'nftables'),
  cell('dnsmasq-ipam', '1.1.0', 'ipv4', 'none'),
])('ADD twice: the second fails and changes nothing: $id', async (c) => {
  await using sb = await sandboxFor(c);
  const list = cellList(c, sb);
  const [rt] = attachments(sb);
  const result = await sb.runner.add(list, rt!);
  const before = await snapshot(sb);
  await expect(sb.runner.add(list, rt!)).rejects.toThrow(/failed \(add\)/);
  expect(await snapshot(sb)).toEqual(before);
  expect(await globalAddrs(sb.containers[0]!, 'eth0')).toEqual(expect.arrayContaining(((result.ips ?? []) as Array<{ address: string }>).map((ip) => ip.address)));
  await sb.runner.check(list, rt!); // the first attachment is still whole
  await sb.runner.del(list, rt!);
  await expectClean(c, sb, ipsOf(result));
});

// A plugin fixture that fails ADD (and succeeds at everything else), and one after it that must not be reached on
// ADD but must get its DEL.
const failing = `#!/bin/sh
cat >/dev/null
case "$CNI_COMMAND" in
  ADD) printf '{"code":999,"msg":"injected failure"}'; exit 1 ;;
  VERSION) printf '{"cniVersion":"1.1.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}' ;;
esac
exit 0
`;
const recording = (log: string) => `#!/bin/sh
in=$(cat)
echo "$CNI_COMMAND" >> '${log}'
[ "$CNI_COMMAND" = ADD ] && printf '%s' "$in" | jq -c .prevResult
exit 0
`;

it.concurrent.for([
  cell('host-local', '1.0.0', 'dual', 'iptables'),
  cell('dnsmasq-ipam', '0.4.0', 'ipv4', 'nftables'),
])('a plugin failing in the middle of the chain, then DEL, leaves nothing: $id', async (c) => {
  await using sb = await sandboxFor(c, { scripts: { failing } });
  const log = `${sb.dir}/recording.log`;
  await writeFile(`${sb.binDir}/recording`, recording(log));
  await chmod(`${sb.binDir}/recording`, 0o755);
  const conf = cellConflist(c, sb) as { plugins: unknown[] };
  const list = parseNetworkConfigList(Buffer.from(JSON.stringify({ ...conf, plugins: [...conf.plugins, { type: 'failing' }, { type: 'recording' }] })));
  const [rt] = attachments(sb);
  await expect(sb.runner.add(list, rt!)).rejects.toThrow('plugin type="failing" failed (add): injected failure');
  expect(await sb.runner.cache.readResult(list.name, rt!.containerId, rt!.ifName)).toBeUndefined();
  const addedIps = (await globalAddrs(sb.containers[0]!, 'eth0')).map(bare);
  expect(addedIps.length, 'bridge and IPAM ran before the failure').toBeGreaterThan(0);
  await sb.runner.del(list, rt!);
  expect(await readFile(log, 'utf8').catch(() => '')).toBe('DEL\n');
  await expectClean(c, sb, addedIps);
});
