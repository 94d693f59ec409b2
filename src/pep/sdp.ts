/**
 * A semidefinite program in the form both csdp and sdpa read (the SDPA sparse
 * format), in csdp's words: the primal is max tr(F_0 X) subject to
 * tr(F_i X) = c_i (i = 1…m), X ⪰ 0; the dual is min cᵀy subject to
 * Σ_i y_i F_i − F_0 ⪰ 0. The matrices are block diagonal; a block is dense
 * symmetric or diagonal (a diagonal block holds nonnegative scalars).
 *
 * Performance estimation puts its unknowns (the Gram matrix, the function
 * values, a slack per inequality) in X, one equality per constraint, so y
 * holds the multipliers of the constraints and the dual slack matrix's Gram
 * block is the PSD part of the certificate.
 */

export interface SdpBlock {
  size: number;
  /** A diagonal block: `size` scalar constraints. */
  diagonal: boolean;
}

/** One entry (i ≤ j, from 1) of F_matrix in a block; matrix 0 is F_0. */
export interface SdpEntry { matrix: number; block: number; i: number; j: number; value: number }

export interface Sdp {
  /** The objective vector c (its length is the number of variables y). */
  c: number[];
  blocks: SdpBlock[];
  entries: SdpEntry[];
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(17));

/** The SDPA sparse text (`.dat-s`) of a problem; entries with the same place are summed first. */
export function writeSdpa(p: Sdp, comment = 'boundlab pep'): string {
  const merged = new Map<string, SdpEntry>();
  for (const e of p.entries) {
    const i = Math.min(e.i, e.j), j = Math.max(e.i, e.j);
    const key = `${e.matrix} ${e.block} ${i} ${j}`;
    const hit = merged.get(key);
    if (hit) hit.value += e.value;
    else merged.set(key, { ...e, i, j });
  }
  const lines = [
    `"${comment.replace(/["\n]/g, ' ')}`,
    String(p.c.length),
    String(p.blocks.length),
    p.blocks.map((b) => (b.diagonal ? -b.size : b.size)).join(' '),
    p.c.map(num).join(' '),
  ];
  for (const e of merged.values()) if (e.value !== 0) lines.push(`${e.matrix} ${e.block} ${e.i} ${e.j} ${num(e.value)}`);
  return `${lines.join('\n')}\n`;
}
