// How a CNI attachment identifies itself to dnsmasq: client-id (option 61) and host name (option 12).
// node:crypto is loaded only for the rare over-long ids: loading it costs a plugin run ~3 ms of CPU.
const sha256hex = (s: string): string => process.getBuiltinModule('node:crypto').createHash('sha256').update(s).digest('hex');

/** Longest "cni/<id>/<if>" kept verbatim; longer ones are hashed so option 61 stays under 255 bytes. */
const MAX_READABLE_CLIENT_ID = 250;
const CLIENT_ID_PREFIX = 'cni/';

/**
 * The client-id text for an attachment: "cni/<containerID>/<ifname>", or "cni/sha256:<hex of containerID/ifname>"
 * when that would be longer than 250 bytes. Stable across ADDs, so dnsmasq hands the same attachment the same lease;
 * readable in dnsmasq's lease file, so GC can tell our leases (prefix "cni/") from anyone else's.
 */
export function clientIdText(containerId: string, ifName: string): string {
  const readable = `${CLIENT_ID_PREFIX}${containerId}/${ifName}`;
  if (Buffer.byteLength(readable) <= MAX_READABLE_CLIENT_ID) return readable;
  return `${CLIENT_ID_PREFIX}sha256:${sha256hex(`${containerId}/${ifName}`)}`;
}

/** Option 61 payload: type 0 ("not a hardware address", RFC 2132 §9.14) followed by the text. */
export function clientIdBytes(text: string): Uint8Array {
  const body = Buffer.from(text);
  const out = new Uint8Array(body.length + 1);
  out.set(body, 1);
  return out;
}

/** The client-id text inside option 61 bytes, or undefined when it is not one of ours (type 0, "cni/" prefix). */
export function ourClientIdText(bytes: Uint8Array): string | undefined {
  if (bytes[0] !== 0) return undefined;
  const text = Buffer.from(bytes.subarray(1)).toString('latin1');
  return text.startsWith(CLIENT_ID_PREFIX) ? text : undefined;
}

const MAX_LABEL = 63;

/**
 * An RFC 1123 label: lower case letters, digits and inner hyphens, at most 63 characters. dnsmasq silently drops a
 * longer name and cuts a dotted one at the first dot (design §4), so the name is made valid here instead.
 * Runs of other characters become one hyphen. Returns '' when nothing usable is left.
 */
export function sanitizeHostname(raw: string): string {
  const label = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_LABEL)
    .replace(/-+$/, '');
  return label;
}

/** Option 12: the first non-empty CNI_ARGS value among `hostnameArgs`, else the first 12 characters of the id. */
export function chooseHostname(opts: {
  hostnameArgs: readonly string[];
  lookupArg: (key: string) => string | undefined;
  containerId: string;
}): string {
  for (const key of opts.hostnameArgs) {
    const label = sanitizeHostname(opts.lookupArg(key) ?? '');
    if (label) return label;
  }
  return sanitizeHostname(opts.containerId.slice(0, 12)) || 'cni';
}
