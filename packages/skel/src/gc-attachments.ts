// The GC verb's list of attachments to keep (SPEC: `cni.dev/valid-attachments`). libcni also sends the
// misspelled `cni.dev/attachments` (cni#1101); a runtime without args (cnitool gc) sends neither, which means
// "nothing is valid".
import { CniError, ErrorCode } from './errors.ts';
import type { Attachment } from './plugin.ts';

export function validAttachments(raw: Record<string, unknown>): Attachment[] {
  const key = raw['cni.dev/valid-attachments'] !== undefined ? 'cni.dev/valid-attachments' : 'cni.dev/attachments';
  const list = raw[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid config: ${key}: expected array`);
  return list.map((item: unknown, i) => {
    const o = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    if (typeof o.containerID !== 'string' || typeof o.ifname !== 'string') {
      throw new CniError(ErrorCode.InvalidNetworkConfig, `invalid config: ${key}[${i}]: expected {"containerID": string, "ifname": string}`);
    }
    return { containerId: o.containerID, ifName: o.ifname };
  });
}
