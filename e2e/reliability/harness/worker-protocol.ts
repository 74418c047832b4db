// The in-process worker's wire format (JSON lines): a request on its stdin, a reply on fd 3.

export interface WorkerRequest {
  id: number;
  /** plugin name as registered in the worker bundle: bridge, host-local, static, dnsmasq-ipam */
  plugin: string;
  env: Record<string, string | undefined>;
  /** stdin bytes, base64 (the fuzzer sends invalid UTF-8 too) */
  stdinBase64: string;
}

export type WorkerReply =
  | { id: number; code: number; stdout: string; stderr: string; ms: number; rss: number }
  /** runPlugin itself threw: it never should */
  | { id: number; crash: string };
