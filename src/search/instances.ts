/**
 * The instances one search builds, by family and params. A search builds the
 * same witness many times (sampling checks a candidate, then scoring builds
 * it again; refinement and shrinking come back to candidates already scored),
 * and building one can cost a rotation, an eigendecomposition or a Newton
 * solve. `instantiate` is a function of the params alone, and nothing changes
 * an instance once built, so one instance per (family, params) serves every
 * evaluation. It is an explicit object the search makes and drops with its
 * context: nothing outlives the search.
 */
import type { Family, Instance } from '../classes/types.ts';

export class Instances {
  private readonly built = new Map<string, Instance>();

  /** `family.instantiate` of a copy of `params` (the caller keeps its own), once per family and params; a refusal is not kept. */
  of(family: Family, params: Record<string, unknown>): Instance {
    const key = `${family.id}\n${paramsKey(params)}`;
    let inst = this.built.get(key);
    if (!inst) this.built.set(key, (inst = family.instantiate(structuredClone(params))));
    return inst;
  }
}

/**
 * The params as text, every number exactly: −0, NaN and ±∞ apart (JSON would
 * merge them), a typed array apart from a plain one. Written out by hand: a
 * JSON.stringify replacer costs about as much as a small instance's build.
 */
function paramsKey(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + paramsKey(v[i]);
    return `${s}]`;
  }
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}${paramsKey(Array.from(v as unknown as ArrayLike<number>))}`;
  let s = '{';
  for (const [k, e] of Object.entries(v)) s += `${JSON.stringify(k)}:${paramsKey(e)},`;
  return `${s}}`;
}
