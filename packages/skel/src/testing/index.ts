// '@cni-ts/skel/testing': helpers for testing plugins built on skel, in-process.
export { runWithIo, stdinBytes, type RunInput, type RunOutput } from './run-with-io.ts';
export { inProcessRunner } from './in-process-runner.ts';
