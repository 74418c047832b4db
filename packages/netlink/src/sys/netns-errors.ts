/** The namespace path does not exist (ENOENT), e.g. the container is gone. Callers doing DEL treat it as done. */
export class NetnsNotFoundError extends Error {
  override readonly name = 'NetnsNotFoundError' as const;
  readonly path: string;
  constructor(path: string, options?: { cause?: unknown }) {
    super(`network namespace "${path}" does not exist`, options);
    this.path = path;
  }
}

/** The path exists but is not a network namespace (wrong filesystem, or a namespace of another kind). */
export class NotNetnsError extends Error {
  override readonly name = 'NotNetnsError' as const;
  readonly path: string;
  constructor(path: string, why: string) {
    super(`"${path}" is not a network namespace: ${why}`);
    this.path = path;
  }
}

/** Guards that survive bundling and duplicate copies of this module: they check the name brand. */
export function isNetnsNotFoundError(err: unknown): err is NetnsNotFoundError {
  return err instanceof Error && err.name === 'NetnsNotFoundError';
}
export function isNotNetnsError(err: unknown): err is NotNetnsError {
  return err instanceof Error && err.name === 'NotNetnsError';
}
