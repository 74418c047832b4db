// Secrets in a network config (a token, a password, a key: calico's `k8s_auth_token` is the classic) must never
// reach an error or a log line. skel learns the values held under secret-looking keys once the config is decoded,
// and every text it writes afterwards (the error JSON, log lines, a delegate's passed-through stderr) has them
// replaced. Values shorter than MIN_SECRET_LENGTH are not redacted: replacing "1" or "no" everywhere would mangle
// every message, and such a value protects nothing anyway.

export const REDACTED = '[redacted]';
const MIN_SECRET_LENGTH = 4;

// Key names are compared lowercased with separators removed: k8s_auth_token → k8sauthtoken, apiKey → apikey.
const secretSuffixes = ['token', 'password', 'passwd', 'passphrase', 'secret', 'secrets', 'key', 'keys', 'credential', 'credentials', 'auth', 'cookie'];
const secretParts = ['password', 'passwd', 'secret', 'token', 'privatekey', 'apikey', 'credential'];

/** Whether a config key names a secret (its value, whatever its shape, is then redacted wherever it appears). */
export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return secretSuffixes.some((s) => k.endsWith(s)) || secretParts.some((p) => k.includes(p));
}

/** Every string (and number) found under a secret key anywhere in `value`, longest first. */
export function secretValues(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (v: unknown, underSecret: boolean, depth: number): void => {
    if (depth > 64) return; // JSON from stdin cannot be cyclic, but it can be absurdly deep
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      const text = String(v);
      if (underSecret && text.length >= MIN_SECRET_LENGTH) found.add(text);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const item of v) visit(item, underSecret, depth + 1);
      return;
    }
    for (const [k, item] of Object.entries(v)) visit(item, underSecret || isSecretKey(k), depth + 1);
  };
  visit(value, false, 0);
  return [...found].sort((a, b) => b.length - a.length);
}

/** Replaces known secret values in whatever skel writes. Starts empty; `learn` adds a decoded config's secrets. */
export class Redactor {
  #secrets: string[] = [];

  learn(config: unknown): void {
    const all = new Set([...this.#secrets, ...secretValues(config)]);
    this.#secrets = [...all].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.#secrets.length > 0;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
      // The same value as it appears inside JSON text (a quote or backslash in it gets escaped).
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(REDACTED);
    }
    return out;
  }

  /**
   * A writer for a stream that arrives in chunks (a delegate's stderr): whole lines are redacted and written as
   * they complete, so a secret split across two chunks is still caught; `flush` writes the unfinished tail.
   */
  lineWriter(write: (s: string) => void): { write: (chunk: string) => void; flush: () => void } {
    let pending = '';
    return {
      write: (chunk) => {
        pending += chunk;
        const end = pending.lastIndexOf('\n');
        if (end < 0) return;
        write(this.redact(pending.slice(0, end + 1)));
        pending = pending.slice(end + 1);
      },
      flush: () => {
        if (pending === '') return;
        write(this.redact(pending));
        pending = '';
      },
    };
  }
}
