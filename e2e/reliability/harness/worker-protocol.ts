// The in-process worker's wire format (JSON lines): a request on its stdin, a reply on fd 3.

export type WorkerRequest = InvokeRequest | LinksRequest | MemoryRequest;

/** A full garbage collection, then the process's memory and open file descriptors (leak hunting in the soak). */
export interface MemoryRequest {
  id: number;
  kind: 'memory';
}

export interface MemoryInfo {
  rss: number;
  heapUsed: number;
  external: number;
  openFds: number;
}

/** Lists the links of a namespace (the worker's own when netns is absent) over netlink: a state check in ~1 ms. */
export interface LinksRequest {
  id: number;
  kind: 'links';
  netns?: string;
}

export interface InvokeRequest {
  id: number;
  kind: 'invoke';
  /** plugin name as registered in the worker bundle: bridge, host-local, static, dnsmasq-ipam */
  plugin: string;
  env: Record<string, string | undefined>;
  /** stdin bytes, base64 (the fuzzer sends invalid UTF-8 too) */
  stdinBase64: string;
}

export interface LinkInfo {
  name: string;
  kind?: string;
}

export type WorkerReply =
  | { id: number; links: LinkInfo[] }
  | { id: number; memory: MemoryInfo }
  | { id: number; code: number; stdout: string; stderr: string; ms: number; rss: number }
  /** runPlugin itself threw: it never should */
  | { id: number; crash: string };
