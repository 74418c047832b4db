// Reading the network configuration (stdin, or a file named on the command line) and the checks Go's skel
// runs on it before any verb: JSON (code 6), a valid network name (code 7), the cniVersion (code 6).
import { readFileSync } from 'node:fs';
import { CniError, ErrorCode } from './errors.ts';
import { goQuote } from './go-json.ts';
import { validateNetworkName } from './identifiers.ts';

export interface ConfigSource {
  stdin: () => Promise<Buffer>;
  stdinIsTTY: boolean;
  argv: readonly string[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The config bytes: stdin, unless stdin is a terminal or empty and a file path was given as the first
 * argument (`./plugin netconf.json`, handy by hand; runtimes always use stdin).
 */
export async function readConfigBytes(src: ConfigSource): Promise<Buffer> {
  let bytes: Buffer = Buffer.alloc(0);
  if (!src.stdinIsTTY) {
    try {
      bytes = await src.stdin();
    } catch (e) {
      throw new CniError(ErrorCode.IoFailure, `error reading from stdin: ${message(e)}`, undefined, { cause: e });
    }
  }
  const path = src.argv[2];
  if (bytes.length > 0 || path === undefined || path === '') return bytes;
  try {
    return readFileSync(path); // sync: node:fs/promises alone costs ~1 ms of start-up
  } catch (e) {
    throw new CniError(ErrorCode.IoFailure, `error reading config file ${goQuote(path)}: ${message(e)}`, undefined, { cause: e });
  }
}

const typeName = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * V8's JSON.parse message in the words of Go's encoding/json where runtimes and tests match on them ("unexpected
 * end of JSON input" for empty or truncated input); otherwise the offending character and where it is.
 */
function jsonErrorText(text: string, e: unknown): string {
  const msg = message(e);
  const at = /at position (\d+)/.exec(msg);
  const pos = at ? Number(at[1]) : undefined;
  if (/end of JSON input/i.test(msg) || (pos !== undefined && pos >= text.trimEnd().length)) return 'unexpected end of JSON input';
  if (pos !== undefined) return `invalid character ${quoteChar(String.fromCodePoint(text.codePointAt(pos) ?? 0))} at position ${pos}`;
  const token = /Unexpected token '(.+?)'/.exec(msg);
  if (token?.[1] !== undefined) return `invalid character ${quoteChar(token[1])}`;
  return msg.charAt(0).toLowerCase() + msg.slice(1);
}

const quoteChar = (c: string) => (c === "'" ? "'\\''" : `'${c}'`);

export interface DecodedConfig {
  raw: Record<string, unknown>;
  /** the cniVersion as written; "" when missing */
  cniVersion: string;
}

/** JSON → object, with the name validated (Go: skel.validateConfig, then the version decoder). */
export function decodeConfig(bytes: Buffer): DecodedConfig {
  const text = bytes.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CniError(ErrorCode.DecodingFailure, `error unmarshall network config: ${jsonErrorText(text, e)}`, undefined, { cause: e });
  }
  // Go decodes `null` into an empty struct: it then fails on the missing name.
  const raw = parsed === null ? {} : parsed;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CniError(ErrorCode.DecodingFailure, `error unmarshall network config: expected a JSON object, got ${typeName(raw)}`);
  }
  const obj = raw as Record<string, unknown>;
  const name = obj.name ?? '';
  if (typeof name !== 'string') {
    throw new CniError(ErrorCode.DecodingFailure, `error unmarshall network config: name: expected string, got ${typeName(name)}`);
  }
  validateNetworkName(name);
  const version = obj.cniVersion ?? '';
  if (typeof version !== 'string') {
    throw new CniError(ErrorCode.DecodingFailure, `decoding version from network config: cniVersion: expected string, got ${typeName(version)}`);
  }
  return { raw: obj, cniVersion: version };
}
