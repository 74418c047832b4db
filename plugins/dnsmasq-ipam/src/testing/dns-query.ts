// A minimal DNS A query, run with node inside a container namespace (`ip netns exec`), so tests can resolve names
// through the network's dnsmasq without dig and without any traffic leaving the lab.
import { execFileSync } from 'node:child_process';

// Runs as `node -e SCRIPT <name> <server> <timeout ms>`; prints {"rcode":N,"answers":["a.b.c.d",...]}.
const SCRIPT = String.raw`
const [name, server, timeoutMs] = process.argv.slice(1);
const labels = name.split('.').flatMap((l) => [Buffer.from([l.length]), Buffer.from(l)]);
const query = Buffer.concat([Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
const sock = require('dgram').createSocket('udp4');
const timer = setTimeout(() => { process.stdout.write(JSON.stringify({ timeout: true })); process.exit(0); }, Number(timeoutMs));
sock.on('message', (m) => {
  const skipName = (at) => { while (m[at] !== 0) { if ((m[at] & 0xc0) === 0xc0) return at + 2; at += m[at] + 1; } return at + 1; };
  let at = skipName(12) + 4;
  const answers = [];
  for (let i = 0; i < m.readUInt16BE(6); i++) {
    at = skipName(at);
    const type = m.readUInt16BE(at), len = m.readUInt16BE(at + 8);
    if (type === 1 && len === 4) answers.push(Array.from(m.subarray(at + 10, at + 14)).join('.'));
    at += 10 + len;
  }
  process.stdout.write(JSON.stringify({ rcode: m[3] & 15, answers }));
  clearTimeout(timer); sock.close();
});
sock.send(query, 53, server);
`;

export interface DnsAnswer {
  rcode?: number;
  answers?: string[];
  timeout?: boolean;
}

/**
 * Queries `server` for `name` from inside the namespace `from` (a lab container's `ns`). The default timeout is long
 * because an answer is expected and CI machines are busy; pass a short one where silence is the expected outcome.
 */
export function queryA(from: { name: string }, name: string, server: string, timeoutMs = 5000): DnsAnswer {
  const out = execFileSync('ip', ['netns', 'exec', from.name, process.execPath, '-e', SCRIPT, name, server, String(timeoutMs)], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return JSON.parse(out) as DnsAnswer;
}
