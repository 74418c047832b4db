// Item 3 of issue 8: chains mixing our plugins and the reference Go plugins pass ADD, CHECK, pings and DEL.
// The reference-only cells run the same scenario with no cni-ts plugin at all, proving the harness and the runner
// independently of our plugins.
import { interop, referenceOnly } from '../matrix.ts';
import { cellTests } from '../harness/cell-test.ts';

cellTests('interop', interop);
cellTests('reference', referenceOnly);
