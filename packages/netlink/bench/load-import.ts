// Load-time measurement: node start-up + loading the package only (no request).
import { openHandle } from '../src/index.ts';

if (typeof openHandle !== 'function') process.exitCode = 1;
