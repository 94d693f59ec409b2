/**
 * The built-in functions of the statement language, shared by theorem
 * statements and proof files: dot, norm, eigenvalues and their kin over the
 * nested arrays mathjs hands over.
 */
import {
  dot, norm, mat, lambdaMax, lambdaMin, eigenvalues, spectralNorm, type Mat,
} from '../numeric/linalg.ts';

/** Values a statement is evaluated with, by name. */
export type Scope = Record<string, unknown>;

export const toArray = (v: ArrayLike<number>): number[] => Array.from(v);
const asMat = (a: unknown, square = false): Mat => {
  const rows = toPlain(a) as number[][];
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r) && r.length === rows[0].length)) throw new Error('expected a matrix');
  if (square && rows.length !== rows[0].length) throw new Error(`expected a square matrix, got ${rows.length} × ${rows[0].length}`);
  return mat(rows.length, rows[0].length, rows.flat());
};
/** mathjs may hand us a Matrix; we work on nested arrays. */
export function toPlain(a: unknown): unknown {
  return a && typeof a === 'object' && 'toArray' in a ? (a as { toArray(): unknown }).toArray() : a;
}

const isFlat = (a: unknown): a is number[] => Array.isArray(a) && a.every((x) => typeof x === 'number');

/** Built-ins of the statement language (shared with the proof format). */
export const BUILTINS: Scope = {
  dot: (u: unknown, v: unknown) => {
    const a = toPlain(u), b = toPlain(v);
    if (!isFlat(a) || !isFlat(b)) throw new Error('dot takes two vectors (for matrices write A * B or transpose(u) * v)');
    // read past the shorter one, the sum would be NaN, taken for overflow and skipped
    if (a.length !== b.length) throw new Error(`dot of vectors of different lengths (${a.length} and ${b.length})`);
    return dot(a, b);
  },
  norm: (v: unknown) => {
    const p = toPlain(v);
    if (typeof p === 'number') return Math.abs(p);
    return Array.isArray((p as unknown[])[0]) ? spectralNorm(asMat(p)) : norm(p as number[]);
  },
  lambda_max: (a: unknown) => lambdaMax(asMat(a, true)),
  lambda_min: (a: unknown) => lambdaMin(asMat(a, true)),
  /** Smallest eigenvalue above the numerical zero (relative 1e-10 of the largest). */
  lambda_min_pos: (a: unknown) => {
    const v = eigenvalues(asMat(a, true));
    const cut = 1e-10 * Math.max(...v.map(Math.abs));
    return v.find((x) => x > cut) ?? 0;
  },
  eigenvalues: (a: unknown) => toArray(eigenvalues(asMat(a, true))),
};

