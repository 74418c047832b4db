// Undo steps for a multi-step ADD: each acquisition registers its undo on the next line; if the ADD does not
// reach commit(), leaving the `await using` scope runs the undos in reverse order (house style B7).
import { silentLogger, type Logger } from './logger.ts';

// Node 20 may lack Symbol.asyncDispose; esbuild's lowering of `await using` looks it up at run time, after this.
(Symbol as { asyncDispose?: symbol }).asyncDispose ??= Symbol.for('nodejs.asyncDispose');

export type UndoStep = () => Promise<unknown> | unknown;

export class Rollback implements AsyncDisposable {
  readonly #steps: UndoStep[] = [];
  readonly #log: Logger;
  #committed = false;

  constructor(log: Logger = silentLogger) {
    this.#log = log;
  }

  push(step: UndoStep): void {
    this.#steps.push(step);
  }

  /** Keep everything: the ADD succeeded. */
  commit(): void {
    this.#committed = true;
  }

  /** Runs the undo steps, newest first. A failing step is logged and the rest still run; it never throws, so the
   * error that caused the rollback is the one the runtime sees. */
  async rollback(): Promise<void> {
    const steps = this.#steps.splice(0).reverse();
    for (const [i, step] of steps.entries()) {
      try {
        await step();
      } catch (err) {
        this.#log.warn('rollback step failed', { step: steps.length - i, err });
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.#committed) await this.rollback();
  }
}
