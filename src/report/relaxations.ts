/**
 * The report's "Relaxations and tightness" section: the recorded outcomes of
 * regressions/relaxations.yaml, each stored counterexample replayed on a real
 * run when the report runs (the searches themselves are re-run by
 * tests/relaxations.test.ts; `--fast` shows the record without replaying),
 * and a small tightness search on the tight theorems.
 */
import { theoremById } from '../theorems/index.ts';
import { readRelaxations, type RelaxationEntry, type StoredCounterexample } from '../search/regressions.ts';
import { replayRelaxation } from '../search/relax.ts';
import { tightness, type TightnessOptions } from '../search/tightness.ts';
import { formatNumber, formatSeconds } from '../numeric/format.ts';
import { escapeHtml } from './html.ts';

/** The tight theorems and the parameter points searched (as in tests/relax.test.ts), with small budgets (about 2 s for the three). */
export const TIGHT_POINTS: readonly { theorem: string; set: Record<string, number | string> }[] = [
  { theorem: 'gd-convex-tight', set: { h: 1 } },
  { theorem: 'gd-contraction-tight', set: { gamma: '2/(mu+L)' } },
  { theorem: 'heavy-ball-quadratic', set: {} },
];
const BUDGET = { steps: 20, rounds: 5, instances: 8 } as const;

export interface TightnessRow {
  theorem: string;
  set: Record<string, number | string>;
  steps: number;
  family?: string;
  worst?: number;
  bound?: number;
  ratio?: number;
  /** the rounding tolerance at the worst instance: beyond bound + tolerance is a violation */
  tolerance?: number;
  seconds: number;
  error?: string;
}

export interface RelaxationsReport {
  /** The entries of the regression file shown (absent when it could not be read: `error` says why). */
  entries?: RelaxationEntry[];
  error?: string;
  tightness: TightnessRow[];
  /** Per entry (same order): its stored counterexample replayed now; absent with --fast. */
  replays?: Replay[];
}

/** A stored counterexample run again: still a violation at its step, or not (a change to look at), or not replayed. */
export type Replay = { kind: 'replays'; seconds: number } | { kind: 'changed'; detail: string; seconds: number } | { kind: 'none' };

/** Each entry's stored counterexample through the verifier again, one after another; never throws. */
export async function replayRelaxations(entries: readonly RelaxationEntry[]): Promise<Replay[]> {
  const out: Replay[] = [];
  for (const e of entries) {
    if (!e.counterexample) { out.push({ kind: 'none' }); continue; }
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const again = await replayRelaxation(theoremById(e.theorem)!, e, e.counterexample);
      const sameStep = again && again.step === e.counterexample.step;
      out.push(sameStep ? { kind: 'replays', seconds: seconds() }
        : { kind: 'changed', detail: again ? `violated at step ${again.step}, not ${e.counterexample.step}` : 'no longer violates the bound', seconds: seconds() });
    } catch (err) {
      out.push({ kind: 'changed', detail: `could not be replayed: ${(err as Error).message}`, seconds: seconds() });
    }
  }
  return out;
}

/** The entries for these theorem ids (all when none are given); a file that cannot be read is an error on the page, not a failed report. */
export function recordedRelaxations(ids?: readonly string[]): Pick<RelaxationsReport, 'entries' | 'error'> {
  try {
    const all = readRelaxations();
    return { entries: ids ? all.filter((e) => ids.includes(e.theorem)) : all };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The tightness search on the tight theorems among `ids` (all three when none are given), one after another; never throws. */
export async function tightnessRows(seed: number, ids?: readonly string[]): Promise<TightnessRow[]> {
  const rows: TightnessRow[] = [];
  for (const p of TIGHT_POINTS.filter((q) => !ids || ids.includes(q.theorem))) {
    const started = performance.now();
    try {
      const opts: TightnessOptions = { ...BUDGET, set: p.set, seed };
      const r = await tightness(theoremById(p.theorem)!, opts);
      rows.push({ theorem: p.theorem, set: p.set, steps: BUDGET.steps, family: r.witness.family, worst: r.worst, bound: r.bound, ratio: r.ratio, tolerance: r.tolerance, seconds: r.seconds });
    } catch (e) {
      rows.push({ theorem: p.theorem, set: p.set, steps: BUDGET.steps, seconds: (performance.now() - started) / 1000, error: (e as Error).message });
    }
  }
  return rows;
}

export const TIGHT_RATIO = 0.99;

/** For the status line: "12 relaxations recorded, 3 tightness ratios ≥ 0.99 (of 3)." */
export function relaxationsStatus(r: RelaxationsReport): string {
  const parts: string[] = [];
  if (r.entries) {
    const n = r.entries.length;
    const cx = r.entries.filter((e) => e.expect === 'counterexample').length;
    parts.push(`${n} relaxation${n === 1 ? '' : 's'} recorded (${cx} counterexample${cx === 1 ? '' : 's'}, ${n - cx} hold${n - cx === 1 ? 's' : ''})`);
    const changed = (r.replays ?? []).filter((p) => p.kind === 'changed').length;
    if (changed) parts.push(`${changed} stored counterexample${changed === 1 ? '' : 's'} no longer replay${changed === 1 ? 's' : ''}`);
  }
  if (r.tightness.length) {
    // tight, and not beyond the bound by more than the rounding tolerance (that would be a violation)
    const ok = r.tightness.filter((t) => (t.ratio ?? 0) >= TIGHT_RATIO && t.worst! <= t.bound! + (t.tolerance ?? 0)).length;
    parts.push(`${ok} of ${r.tightness.length} tightness ratio${r.tightness.length === 1 ? '' : 's'} ≥ ${TIGHT_RATIO}`);
  }
  return parts.length ? `${parts.join(', ')}.` : '';
}

export function relaxationsSection(r: RelaxationsReport): string {
  const out: string[] = ['<h2 id="relaxations">Relaxations and tightness</h2>'];
  if (r.entries || r.error) {
    out.push(`<h3>Relaxations</h3>
<p class="caption">What happens when an assumption is dropped (or replaced): the outcomes recorded in <code>regressions/relaxations.yaml</code>. ${r.replays ? 'Each stored counterexample was replayed on a real run when this report was made; the searches themselves' : 'This report was made with <code>--fast</code>: nothing was replayed, and the searches'} are re-run by <code>tests/relaxations.test.ts</code> on every change.</p>`);
    if (r.error) out.push(`<p class="error">Could not read the regression file: ${escapeHtml(r.error)}</p>`);
    else if (!r.entries!.length) out.push('<p class="caption">No recorded relaxation of the theorems in this report.</p>');
    else out.push(relaxationTable(r.entries!, r.replays));
  }
  if (r.tightness.length) {
    out.push(`<h3>Tightness</h3>
<p class="caption">The worst instance a short search finds against the bound of each tight theorem, at step N, in a real float32 run (<code>boundlab tightness</code> with ${BUDGET.instances} instances per family and ${BUDGET.rounds} rounds). A ratio near 1 means the bound is attained; slightly above 1 is within the float32 tolerance.</p>`);
    out.push(tightnessTable(r.tightness));
  }
  return out.join('\n');
}

function relaxationTable(entries: readonly RelaxationEntry[], replays?: readonly Replay[]): string {
  const now = (p: Replay | undefined) => (!p ? 'not replayed (--fast)' : p.kind === 'none' ? '—'
    : p.kind === 'replays' ? `<span class="verdict v-violated">replays</span> <small>${formatSeconds(p.seconds)}</small>`
      : `<span class="verdict v-error">changed</span> <small>${escapeHtml(p.detail)}</small>`);
  const body = entries.map((e, i) => {
    const change = [...e.drop.map((d) => `drop <code>${escapeHtml(d)}</code>`), ...(e.add ?? []).map((a) => `add <code>${escapeHtml(a)}</code>`)].join('<br>');
    const verdict = e.expect === 'holds' ? 'holds' : 'counterexample';
    const cls = e.expect === 'holds' ? 'v-holds' : 'v-violated';
    const record = e.counterexample ? recordSummary(e.counterexample) : '—';
    return `<tr><td><code>${escapeHtml(e.theorem)}</code></td><td>${change}</td><td><span class="verdict ${cls}">${verdict}</span></td>`
      + `<td><small>${escapeHtml(e.note ?? '')}</small></td><td><small>${record}</small></td><td>${now(replays?.[i])}</td></tr>`;
  });
  return `<table class="relaxations"><thead><tr><th>theorem</th><th>relaxed</th><th>recorded outcome</th><th>note</th><th>counterexample</th><th>replayed now</th></tr></thead>
<tbody>${body.join('\n')}</tbody></table>`;
}

/** A stored record in one line: family and params, theorem parameters, where, and measured vs bound. */
function recordSummary(c: StoredCounterexample): string {
  const family = `<code>${escapeHtml(String(c.family))}</code>${Object.keys(c.params ?? {}).length ? ` (${escapeHtml(compact(c.params))})` : ''}`;
  const parameters = Object.keys(c.parameters ?? {}).length ? `; ${escapeHtml(compact(c.parameters))}` : '';
  const where = c.step !== undefined ? `step ${escapeHtml(String(c.step))}` : c.point ? `point ${escapeHtml(compact(c.point))}${c.part !== undefined ? `, part ${escapeHtml(String(c.part))}` : ''}` : '';
  const what = c.divergence ? 'the run diverges'
    : typeof c.measured === 'number' && typeof c.bound === 'number' ? `measured ${formatNumber(c.measured)} vs bound ${formatNumber(c.bound)}` : '';
  return `${family}${parameters}${where || what ? `<br>${[where, what].filter(Boolean).join(': ')}` : ''}`;
}

/** {x0: [3], gamma: 0.1} → "x0 = [3], gamma = 0.1" (numbers to four digits). */
function compact(values: Record<string, unknown>): string {
  const show = (v: unknown): string => (typeof v === 'number' ? formatNumber(v)
    : Array.isArray(v) ? `[${v.map(show).join(', ')}]`
      : v !== null && typeof v === 'object' ? `{${compact(v as Record<string, unknown>)}}` : String(v));
  return Object.entries(values).map(([k, v]) => `${k} = ${show(v)}`).join(', ');
}

function tightnessTable(rows: readonly TightnessRow[]): string {
  const body = rows.map((t) => {
    const params = [compact(t.set), `N = ${t.steps}`].filter(Boolean).join(', ') + (Object.keys(t.set).length ? '' : ' (its tuned parameters)');
    const cells = t.error
      ? `<td colspan="4" class="error">${escapeHtml(t.error)}</td>`
      : `<td><code>${escapeHtml(t.family ?? '')}</code></td><td class="num">${formatNumber(t.worst!)}</td><td class="num">${formatNumber(t.bound!)}</td><td class="num">${t.ratio!.toFixed(4)}</td>`;
    return `<tr><td><code>${escapeHtml(t.theorem)}</code></td><td>${escapeHtml(params)}</td>${cells}<td class="num">${formatSeconds(t.seconds)}</td></tr>`;
  });
  return `<table class="tightness"><thead><tr><th>theorem</th><th>parameters</th><th>worst witness</th><th>worst found</th><th>bound</th><th>ratio</th><th>time</th></tr></thead>
<tbody>${body.join('\n')}</tbody></table>`;
}

/** The report's relaxations section: the recorded relaxations of these theorems (all: undefined), their stored counterexamples replayed unless `fast`, and the tightness rows. */
export async function runRelaxations(ids: string[] | undefined, seed: number, fast: boolean): Promise<RelaxationsReport | undefined> {
  const recorded = recordedRelaxations(ids);
  const tight = ids ? TIGHT_POINTS.filter((p) => ids.includes(p.theorem)) : TIGHT_POINTS;
  const rows = tight.length ? await tightnessRows(seed, ids) : [];
  const replays = recorded.entries?.length && !fast ? await replayRelaxations(recorded.entries) : undefined;
  if (!recorded.error && !recorded.entries?.length && !rows.length) return undefined;
  return { ...recorded, tightness: rows, ...(replays ? { replays } : {}) };
}
