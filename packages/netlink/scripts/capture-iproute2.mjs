#!/usr/bin/env node
// Captures the request bytes iproute2 sends for operations this machine's kernel cannot perform (vlan, dummy,
// bridge vlan_filtering, bridge VLANs) and a few it can, as golden fixtures: an independent encoder of the same
// uapi layouts. Run as root: `node scripts/capture-iproute2.mjs` (needs ip, bridge, strace). Uses throwaway
// namespaces only. The kernel may reject a request (EOPNOTSUPP); the bytes iproute2 sent are what we keep.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = new URL('../src/__fixtures__/', import.meta.url);
const suffix = `${process.pid.toString(36)}`;
const ns = `nlcap-a-${suffix}`;
const ns2 = `nlcap-b-${suffix}`;
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
const tmp = mkdtempSync(join(tmpdir(), 'nlcap-'));

/** Runs `cmd` under strace and returns the bytes of the first sendmsg carrying nlmsg_type `type`. */
function capture(cmd, type) {
  const log = join(tmp, 'strace.txt');
  spawnSync('strace', ['-f', '-e', 'trace=sendmsg', '-e', 'write=all', '-o', log, ...cmd], { stdio: 'ignore' });
  const lines = readFileSync(log, 'utf8').split('\n');
  let cur = null;
  const blocks = [];
  for (const line of lines) {
    if (/sendmsg\(/.test(line)) { cur = []; blocks.push(cur); continue; }
    const m = /^ \| [0-9a-f]{5}  ((?:[0-9a-f]{2} {1,2}){1,16})/.exec(line);
    if (m && cur) cur.push(...m[1].trim().split(/\s+/));
  }
  const hit = blocks.map((b) => Buffer.from(b.join(''), 'hex')).find((b) => b.length >= 16 && b.readUInt16LE(4) === type);
  if (!hit) throw new Error(`no message of type ${type} from: ${cmd.join(' ')}`);
  return hit;
}

function save(name, description, cmd, bytes) {
  const hex = bytes.toString('hex').match(/.{1,32}/g).join('\n');
  const text = `# ${description}\n# produced by: ${cmd.join(' ')}\n# (iproute2 ${run('ip', ['-V']).toString().trim().split(', ')[1]} request bytes captured with strace -e write=all; the seq field is iproute2's)\n${hex}\n`;
  writeFileSync(new URL(name, out), text);
  process.stdout.write(`${name}: ${bytes.length} bytes\n`);
}

const RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_SETLINK = 19;
try {
  run('ip', ['netns', 'add', ns]);
  run('ip', ['netns', 'add', ns2]);
  run('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
  run('ip', ['-n', ns, 'link', 'add', 'veth0', 'type', 'veth', 'peer', 'name', 'veth1']);
  run('ip', ['-n', ns, 'link', 'set', 'veth0', 'master', 'br0']);
  const cases = [
    ['request-newlink-vlan.hex', 'RTM_NEWLINK vlan id 10 on veth0', ['ip', '-n', ns, 'link', 'add', 'link', 'veth0', 'name', 'v10', 'type', 'vlan', 'id', '10'], RTM_NEWLINK],
    ['request-newlink-vlan-8021ad.hex', 'RTM_NEWLINK vlan id 20, protocol 802.1ad', ['ip', '-n', ns, 'link', 'add', 'link', 'veth0', 'name', 'v20', 'type', 'vlan', 'protocol', '802.1ad', 'id', '20'], RTM_NEWLINK],
    ['request-newlink-dummy.hex', 'RTM_NEWLINK dummy', ['ip', '-n', ns, 'link', 'add', 'd0', 'type', 'dummy'], RTM_NEWLINK],
    ['request-newlink-bridge-vlan-filtering.hex', 'RTM_NEWLINK bridge with mtu and vlan_filtering', ['ip', '-n', ns, 'link', 'add', 'br1', 'mtu', '1400', 'type', 'bridge', 'vlan_filtering', '1'], RTM_NEWLINK],
    ['request-setlink-bridge-vlan-add.hex', 'AF_BRIDGE RTM_SETLINK: vlan 10 pvid untagged on port veth0', ['bridge', '-n', ns, 'vlan', 'add', 'dev', 'veth0', 'vid', '10', 'pvid', 'untagged'], RTM_SETLINK],
    ['request-setlink-bridge-vlan-add-self.hex', 'AF_BRIDGE RTM_SETLINK: vlan 10 on the bridge itself', ['bridge', '-n', ns, 'vlan', 'add', 'dev', 'br0', 'vid', '10', 'self'], RTM_SETLINK],
    ['request-dellink-bridge-vlan-del.hex', 'AF_BRIDGE RTM_DELLINK: vlan 10 off port veth0', ['bridge', '-n', ns, 'vlan', 'del', 'dev', 'veth0', 'vid', '10'], RTM_DELLINK],
    ['request-setlink-bridge-port.hex', 'AF_BRIDGE RTM_SETLINK: hairpin and isolated on port veth0', ['bridge', '-n', ns, 'link', 'set', 'dev', 'veth0', 'hairpin', 'on', 'isolated', 'on'], RTM_SETLINK],
    ['request-newlink-veth-peer-netns.hex', 'RTM_NEWLINK veth with the peer created in another namespace (IFLA_NET_NS_FD) with a MAC', ['ip', '-n', ns, 'link', 'add', 'vh', 'type', 'veth', 'peer', 'name', 'eth0', 'address', '02:00:00:00:00:01', 'netns', ns2], RTM_NEWLINK],
  ];
  for (const [file, description, cmd, type] of cases) save(file, description, cmd, capture(cmd, type));
} finally {
  spawnSync('ip', ['netns', 'del', ns]);
  spawnSync('ip', ['netns', 'del', ns2]);
  rmSync(tmp, { recursive: true, force: true });
}
