// Secrets of a config never reach an error or a log line: the key rule, the value walk, the redaction itself
// (properties over generated secrets), and the dispatcher's three outlets (error JSON, logger, delegate stderr).
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { conf, env, recorder } from '../test/recorder.ts';
import { CniError } from './errors.ts';
import { isSecretKey, Redactor, REDACTED, secretValues } from './redact.ts';
import { runWithIo as run } from './testing/run-with-io.ts';

describe('which keys hold secrets', () => {
  test.each(['k8s_auth_token', 'token', 'password', 'db-password', 'secret', 'clientSecret', 'key', 'apiKey', 'private_key', 'ssh-keys', 'credentials', 'basicAuth', 'PASSWD'])(
    '%s is secret',
    (k) => expect(isSecretKey(k)).toBe(true),
  );
  test.each(['name', 'type', 'ipam', 'subnet', 'bridge', 'kubeconfig', 'dataDir', 'cniVersion', 'ipMasq', 'routes'])('%s is not', (k) =>
    expect(isSecretKey(k)).toBe(false),
  );
});

describe('secretValues', () => {
  test('walks nested objects and arrays; everything under a secret key counts; short values do not', () => {
    const config = {
      name: 'net',
      kubernetes: { k8s_auth_token: 'eyJhbGciOi.token', kubeconfig: '/etc/kube.conf' },
      policy: { credentials: { user: 'admin', pass: ['hunter22', 1234567] } },
      password: 'no',
    };
    expect(secretValues(config).sort()).toEqual(['1234567', 'admin', 'eyJhbGciOi.token', 'hunter22']);
  });
});

const secretText = fc.string({ minLength: 4, maxLength: 40, unit: 'grapheme' }).filter((s) => s.trim().length >= 4);

describe('Redactor', () => {
  test('property: a learnt secret never survives redaction, wherever it sits in the text', () => {
    fc.assert(
      fc.property(secretText, fc.string(), fc.string(), fc.constantFrom('token', 'password', 'k8s_auth_token', 'apiKey'), (secret, before, after, key) => {
        const r = new Redactor();
        r.learn({ name: 'n', nested: [{ [key]: secret }] });
        for (const text of [before + secret + after, JSON.stringify({ msg: `${before}${secret}${after}` })]) {
          expect(r.redact(text)).not.toContain(secret);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('property: the line writer catches a secret split across chunks', () => {
    fc.assert(
      fc.property(secretText, fc.array(fc.nat(), { maxLength: 6 }), (secret, cuts) => {
        const r = new Redactor();
        r.learn({ password: secret });
        const text = `delegate says: ${secret} (again: ${secret})\nbye\n`;
        const points = [...new Set(cuts.map((c) => c % text.length))].sort((a, b) => a - b);
        let written = '';
        const w = r.lineWriter((s) => (written += s));
        let at = 0;
        for (const p of [...points, text.length]) {
          w.write(text.slice(at, p));
          at = p;
        }
        w.flush();
        expect(written).not.toContain(secret);
        expect(written).toContain(REDACTED);
      }),
      { numRuns: 300 },
    );
  });

  test('leaves text alone when nothing was learnt', () => {
    expect(new Redactor().redact('token: abcd')).toBe('token: abcd');
  });
});

describe('the dispatcher redacts', () => {
  const secret = 'calico-k8s-token-1f2e3d';
  const withSecret = (extra: object = {}) => conf({ kubernetes: { k8s_auth_token: secret }, ...extra });

  test('an error message that quotes the secret', async () => {
    const { def } = recorder({
      add: async () => {
        throw new CniError(999, `bad token ${secret}`, `details quote it too: "${secret}"`);
      },
    });
    const out = await run(def, { env: env('ADD'), stdin: withSecret() });
    expect(out.code).toBe(1);
    expect(out.stdout).not.toContain(secret);
    expect(out.json).toEqual({ code: 999, msg: `bad token ${REDACTED}`, details: `details quote it too: "${REDACTED}"` });
  });

  test('log lines (also the debug stack of an untyped error)', async () => {
    const { def } = recorder({
      add: async (ctx) => {
        ctx.log.warn('using the token', { token: secret });
        throw new Error(`untyped ${secret}`);
      },
    });
    const out = await run(def, { env: env('ADD', { CNI_TS_LOG_LEVEL: 'debug' }), stdin: withSecret() });
    expect(out.stderr).toContain('using the token');
    expect(out.stderr).toContain('untyped error');
    expect(out.stderr + out.stdout).not.toContain(secret);
  });

  test("a delegate's stderr and its error message", async () => {
    const { def } = recorder({ add: async (ctx) => ctx.delegate.add('ipam') });
    const out = await run(def, {
      env: env('ADD'),
      stdin: withSecret({ ipam: { type: 'ipam' } }),
      delegateRunner: {
        exec: async () => {
          throw new CniError(7, `ipam rejected ${secret}`);
        },
      },
    });
    expect(out.json).toEqual({ code: 7, msg: `ipam rejected ${REDACTED}` });
  });

  test('a config whose JSON is broken right inside the secret does not echo it', async () => {
    const { def } = recorder();
    const out = await run(def, { env: env('ADD'), stdin: `{"name":"n","password":"${secret}\u0001"}` });
    expect(out.code).toBe(1);
    expect(out.stdout).not.toContain(secret);
  });
});
