// A tiny stderr logger: stdout carries exactly one protocol document, so everything else goes to stderr.
// The level comes from CNI_TS_LOG_LEVEL (debug, info, warn, error, silent); the default is warn.

export interface Logger {
  debug(msg: string, fields?: object): void;
  info(msg: string, fields?: object): void;
  warn(msg: string, fields?: object): void;
  error(msg: string, fields?: object): void;
}

const levels = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof levels;

export function parseLogLevel(s: string | undefined): LogLevel {
  const l = (s ?? '').trim().toLowerCase();
  return l in levels ? (l as LogLevel) : 'warn';
}

// Errors do not survive JSON.stringify (their fields are not enumerable): keep what helps a reader.
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

function render(fields: object | undefined): string {
  if (fields === undefined) return '';
  try {
    return ` ${JSON.stringify(fields, replacer)}`;
  } catch {
    return ' [unserializable fields]'; // a log line must never throw
  }
}

/** A logger writing `<plugin> <level>: <msg> {fields}` lines through `write` (stderr in a real process). */
export function createLogger(opts: { name: string; level?: LogLevel; write: (s: string) => void }): Logger {
  const min = levels[opts.level ?? 'warn'];
  const at = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: object) => {
    if (levels[level] < min) return;
    opts.write(`${opts.name} ${level}: ${msg}${render(fields)}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (the default for a Rollback created without one). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
