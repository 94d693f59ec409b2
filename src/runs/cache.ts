/**
 * A record of runs, replayed for an identical run. A theorem's planted
 * violations are checked on exactly the runs of the theorem itself (same
 * witnesses, hyperparameters, seed and steps; only the statement differs), so a
 * caller that checks several statements may hand one RunCache to each check:
 * the first records every batch's iterates, the others replay them. It is an
 * explicit object the caller makes and drops: nothing is cached behind its back.
 *
 * The key is everything a run depends on: the driver, the family and every
 * instance's params (which rebuild the instance exactly), the starting points,
 * the optimiser and its per-row hyperparameters, the steps and the seed. One
 * cache assumes one meaning per family and optimiser id (one process's registry).
 * The witnesses a check draws are kept too (`drawn`), keyed by the theorem object
 * and the draw's inputs.
 */
import type { RunSpec } from './run.ts';

/** A run spec of either driver: onStep sees float32 (runBatch) or float64 (runFloat64) iterates. */
export type AnyRunSpec<X extends Float32Array | Float64Array> = Omit<RunSpec, 'onStep'> & {
  onStep(t: number, x: X, d: number, rows: readonly number[]): void | 'stop';
};

interface Step<X> { t: number; x: X; d: number; rows: readonly number[] }

export class RunCache {
  private readonly recorded = new Map<string, Step<Float32Array | Float64Array>[]>();
  private readonly drawnBy = new WeakMap<object, Map<string, unknown>>();
  /** Runs driven, and runs replayed from a record (tests check that a cache was used). */
  driven = 0;
  replayed = 0;

  /**
   * What a check's runs start from (its witnesses: sampled, and their
   * certificates computed), drawn once per owner (the theorem object) and key,
   * and the same value handed to every check that asks again. The caller keys
   * it by every input of the draw and must not change what it gets.
   */
  drawn<T>(owner: object, key: string, draw: () => T): T {
    let byKey = this.drawnBy.get(owner);
    if (!byKey) this.drawnBy.set(owner, (byKey = new Map()));
    if (!byKey.has(key)) byKey.set(key, draw());
    return byKey.get(key) as T;
  }

  /**
   * `drive(spec)`, or the replay of an identical earlier run: onStep sees the
   * same calls with equal (freshly copied) iterates. A run the caller stopped,
   * or one that threw, is not recorded.
   */
  async run<X extends Float32Array | Float64Array>(driver: string, drive: (spec: AnyRunSpec<X>) => Promise<void>, spec: AnyRunSpec<X>): Promise<void> {
    const key = runKey(driver, spec);
    const steps = this.recorded.get(key) as Step<X>[] | undefined;
    if (steps) {
      this.replayed++;
      for (const s of steps) if (spec.onStep(s.t, s.x.slice() as X, s.d, s.rows) === 'stop') return;
      return;
    }
    this.driven++;
    const record: Step<X>[] = [];
    let stopped = false;
    await drive({
      ...spec,
      onStep: (t, x, d, rows) => {
        // A copy before the caller sees x: it may keep (and change) its own.
        record.push({ t, x: x.slice() as X, d, rows: [...rows] });
        const r = spec.onStep(t, x, d, rows);
        if (r === 'stop') stopped = true;
        return r;
      },
    });
    if (!stopped) this.recorded.set(key, record);
  }
}

/** Every input of a run, as text (numbers exactly, −0, NaN and ±∞ included). */
function runKey(driver: string, spec: Omit<RunSpec, 'onStep'>): string {
  return JSON.stringify({
    driver,
    family: spec.family.id,
    instances: spec.instances.map((inst) => inst.params),
    x0: spec.x0 ?? null,
    optimizer: spec.optimizer,
    hyper: spec.hyper,
    steps: spec.steps,
    seed: spec.seed ?? 0,
  }, (_, v) => {
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : String(Object.is(v, -0) ? '-0' : v);
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}
