// Item 1 of issue 8: every cell of the matrix (matrix.ts) through the built executables.
import { matrix } from '../matrix.ts';
import { cellTests } from '../harness/cell-test.ts';

cellTests('matrix', matrix);
