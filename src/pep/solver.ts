/**
 * The SDP solvers behind performance estimation, as child processes: the
 * problem is written in the SDPA sparse format into a fresh temporary folder,
 * the solver runs there with a timeout, and its solution is read back. csdp
 * (Debian coinor-csdp) is the one used; sdpa (Debian sdpa) is the second
 * opinion tests/pep.test.ts compares it with.
 *
 * Statuses are in csdp's words (primal: max tr(F_0 X); dual: min cᵀy; see
 * sdp.ts); sdpa names the two sides the other way round, translated here:
 *   success           both sides solved to the solver's accuracy
 *   primal-infeasible no X satisfies the equalities (csdp exit 1; sdpa pUNBD)
 *   dual-infeasible   no y makes the dual matrix PSD; with a feasible primal,
 *                     the primal objective is unbounded (csdp exit 2; sdpa dUNBD)
 *   partial           solved, but short of full accuracy (csdp exit 3; sdpa pdFEAS)
 *   failure           anything else: iteration limit, numerical trouble, timeout
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../language/usage.ts';
import { writeSdpa, type Sdp } from './sdp.ts';

export type SolverName = 'csdp' | 'sdpa';
export type SolveStatus = 'success' | 'primal-infeasible' | 'dual-infeasible' | 'partial' | 'failure';

export interface SdpSolution {
  solver: SolverName;
  status: SolveStatus;
  /** Why, in the solver's words, when the status is not success. */
  message: string;
  /** The solver's exit code. */
  exitCode: number | null;
  /** The dual's value min cᵀy and the primal's max tr(F_0 X) (equal at an optimum). */
  yObjective: number;
  xObjective: number;
  /** Relative duality gap |yObjective − xObjective| / (1 + |yObjective| + |xObjective|). */
  gap: number;
  y: number[];
  /** X and the dual slack Z = Σ y_i F_i − F_0 by block, dense (a diagonal block as one row of its diagonal); empty from sdpa. */
  X: number[][][];
  Z: number[][][];
  seconds: number;
}

/** Where each solver is looked for; BOUNDLAB_CSDP / BOUNDLAB_SDPA override (a test points them elsewhere). */
export function solverPath(name: SolverName): string {
  const env = name === 'csdp' ? process.env.BOUNDLAB_CSDP : process.env.BOUNDLAB_SDPA;
  return env ?? `/usr/bin/${name}`;
}

const PACKAGE: Record<SolverName, string> = { csdp: 'coinor-csdp', sdpa: 'sdpa' };

/** A usage error (exit 2) with the install command when the solver is not there. */
export function requireSolver(name: SolverName): string {
  const path = solverPath(name);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new UsageError(
      `the SDP solver ${name} is not installed (looked for ${path}); install it with: sudo apt-get install ${PACKAGE[name]}` +
      ` (or run scripts/install-system.sh)${name === 'csdp' && process.env.BOUNDLAB_CSDP ? '; BOUNDLAB_CSDP points elsewhere' : ''}`,
    );
  }
  return path;
}

/** Whether the solver is installed (for work that can go on without it: the checker's certificates). */
export function hasSolver(name: SolverName): boolean {
  try {
    accessSync(solverPath(name), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export interface SolveOptions {
  solver?: SolverName;
  timeoutSeconds?: number;
  /**
   * csdp's stopping tolerances (axtol, atytol, objtol: relative primal and dual
   * infeasibility and relative gap), all set to this, with its objective
   * perturbation off; left out, csdp's defaults (1e-8, perturbation on). sdpa
   * keeps its own.
   */
  tolerance?: number;
}

/**
 * csdp's parameter file (read from the folder it runs in; its README lists the
 * keys and defaults): the defaults but for the three tolerances and perturbobj.
 */
function csdpParams(tolerance: number): string {
  const t = tolerance.toExponential();
  return [`axtol=${t}`, `atytol=${t}`, `objtol=${t}`, 'pinftol=1.0e8', 'dinftol=1.0e8', 'maxiter=100', 'minstepfrac=0.90', 'maxstepfrac=0.97',
    'minstepp=1.0e-8', 'minstepd=1.0e-8', 'usexzgap=1', 'tweakgap=0', 'affine=0', 'printlevel=1', 'perturbobj=0', 'fastmode=0', ''].join('\n');
}

export async function solveSdp(p: Sdp, opts: SolveOptions = {}): Promise<SdpSolution> {
  const solver = opts.solver ?? 'csdp';
  const exe = requireSolver(solver);
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'boundlab-pep-'));
  try {
    writeFileSync(join(dir, 'problem.dat-s'), writeSdpa(p));
    if (solver === 'csdp' && opts.tolerance !== undefined) writeFileSync(join(dir, 'param.csdp'), csdpParams(opts.tolerance));
    const args = ['problem.dat-s', 'solution.txt'];
    const run = await runChild(exe, args, dir, (opts.timeoutSeconds ?? 600) * 1000);
    const seconds = (performance.now() - started) / 1000;
    const base = { solver, exitCode: run.code, seconds };
    if (run.timedOut) return { ...base, ...empty(), status: 'failure', message: `${solver} ran out of time (${opts.timeoutSeconds ?? 600} s)` };
    return solver === 'csdp' ? readCsdp(dir, run, p, base, opts.tolerance) : readSdpa(dir, run, base);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * csdp, waited for: the proof checker decides a step before it moves to the
 * next (its steps are small problems, milliseconds each).
 */
export function solveSdpSync(p: Sdp, timeoutSeconds = 60): SdpSolution {
  const exe = requireSolver('csdp');
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'boundlab-pep-'));
  try {
    writeFileSync(join(dir, 'problem.dat-s'), writeSdpa(p));
    const run = spawnSync(exe, ['problem.dat-s', 'solution.txt'], { cwd: dir, encoding: 'utf8', timeout: timeoutSeconds * 1000, stdio: ['ignore', 'pipe', 'pipe'] });
    const base = { solver: 'csdp' as const, exitCode: run.status, seconds: (performance.now() - started) / 1000 };
    if (run.error || run.signal) return { ...base, ...empty(), status: 'failure', message: `csdp did not finish (${run.error?.message ?? run.signal})` };
    return readCsdp(dir, { code: run.status, stdout: `${run.stdout ?? ''}${run.stderr ?? ''}` }, p, base);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const empty = () => ({ yObjective: NaN, xObjective: NaN, gap: NaN, y: [] as number[], X: [] as number[][][], Z: [] as number[][][] });

function runChild(exe: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(exe, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let timedOut = false;
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stdout += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, timedOut }); });
  });
}

// csdp's exit codes (csdp's README): 0 solved, 1 primal infeasible, 2 dual
// infeasible, 3 partial success, 4 iteration limit, 5–9 numerical trouble.
const CSDP_STATUS: Record<number, SolveStatus> = { 0: 'success', 1: 'primal-infeasible', 2: 'dual-infeasible', 3: 'partial' };
const CSDP_WHY: Record<number, string> = {
  1: 'csdp: primal infeasible',
  2: 'csdp: dual infeasible',
  3: 'csdp stopped short of full accuracy (partial success)',
  4: 'csdp reached its iteration limit',
  5: 'csdp stuck at the edge of primal feasibility',
  6: 'csdp stuck at the edge of dual feasibility',
  7: 'csdp made no progress',
  8: 'csdp met a singular matrix',
  9: 'csdp met NaN or infinity',
};

/** csdp's default tolerances (its README): a solve at tighter ones that stops within these is a success by csdp's own standard. */
const CSDP_DEFAULT_TOLERANCE = 1e-8;

function readCsdp(dir: string, run: { code: number | null; stdout: string }, p: Sdp, base: { solver: SolverName; exitCode: number | null; seconds: number }, tolerance?: number): SdpSolution {
  const code = run.code ?? -1;
  let status = CSDP_STATUS[code] ?? 'failure';
  let message = code === 0 ? '' : CSDP_WHY[code] ?? `csdp exited with ${code}: ${run.stdout.trim().split('\n').slice(-3).join(' / ')}`;
  // Partial success at tolerances tighter than csdp's defaults, with the measures csdp prints
  // (relative primal and dual infeasibility, the XZ gap it stops on) within the defaults.
  if (status === 'partial' && tolerance !== undefined && tolerance < CSDP_DEFAULT_TOLERANCE) {
    const measure = (label: string) => Math.abs(Number(new RegExp(`${label}:\\s*(\\S+)`).exec(run.stdout)?.[1] ?? NaN));
    if (['Relative primal infeasibility', 'Relative dual infeasibility', 'XZ Relative Gap'].every((l) => measure(l) <= CSDP_DEFAULT_TOLERANCE)) {
      status = 'success';
      message = `csdp reached its default tolerances (${CSDP_DEFAULT_TOLERANCE}), not ${tolerance}`;
    }
  }
  if (status !== 'success' && status !== 'partial') return { ...base, ...empty(), status, message };
  let text: string;
  try {
    text = readFileSync(join(dir, 'solution.txt'), 'utf8');
  } catch {
    return { ...base, ...empty(), status: 'failure', message: 'csdp wrote no solution file' };
  }
  const lines = text.trim().split('\n');
  const y = lines[0].trim().split(/\s+/).map(Number);
  const blank = () => p.blocks.map((b) => (b.diagonal ? [new Array(b.size).fill(0)] : Array.from({ length: b.size }, () => new Array(b.size).fill(0))));
  const X = blank(), Z = blank();
  for (const line of lines.slice(1)) {
    const [which, blk, i, j, v] = line.trim().split(/\s+/).map(Number);
    const B = (which === 1 ? Z : X)[blk - 1];
    if (p.blocks[blk - 1].diagonal) B[0][i - 1] = v;
    else { B[i - 1][j - 1] = v; B[j - 1][i - 1] = v; }
  }
  // csdp prints its objectives to 8 digits; the solution file has 17: compute both sides from it.
  // (csdp's "primal" is X's side, max tr(F_0 X); its "dual" is y's, min cᵀy.)
  const yObjective = p.c.reduce((acc, c, i) => acc + c * y[i], 0);
  let xObjective = 0;
  for (const e of p.entries) {
    if (e.matrix !== 0) continue;
    const B = X[e.block - 1];
    xObjective += p.blocks[e.block - 1].diagonal ? e.value * B[0][e.i - 1] : (e.i === e.j ? 1 : 2) * e.value * B[e.i - 1][e.j - 1];
  }
  const gap = Math.abs(yObjective - xObjective) / (1 + Math.abs(yObjective) + Math.abs(xObjective));
  return { ...base, status, message, y, X, Z, yObjective, xObjective, gap };
}

// sdpa's phase (its manual, §"phase.value"): pdOPT solved; pUNBD the y side unbounded; dUNBD its dual unbounded.
function readSdpa(dir: string, run: { code: number | null; stdout: string }, base: { solver: SolverName; exitCode: number | null; seconds: number }): SdpSolution {
  let text: string;
  try {
    text = readFileSync(join(dir, 'solution.txt'), 'utf8');
  } catch {
    return { ...base, ...empty(), status: 'failure', message: `sdpa wrote no result (exit ${run.code})` };
  }
  const phase = /phase\.value\s*=\s*(\S+)/.exec(text)?.[1] ?? 'noINFO';
  // sdpa's primal is csdp's dual: its pUNBD (min cᵀy unbounded) is csdp's primal infeasible.
  const status: SolveStatus = phase === 'pdOPT' ? 'success' : phase === 'pUNBD' ? 'primal-infeasible' : phase === 'dUNBD' ? 'dual-infeasible'
    : phase === 'pdFEAS' ? 'partial' : 'failure';
  const yObjective = Number(/objValPrimal\s*=\s*(\S+)/.exec(text)?.[1]); // sdpa's primal: min cᵀy
  const xObjective = Number(/objValDual\s*=\s*(\S+)/.exec(text)?.[1]);
  const gap = Math.abs(yObjective - xObjective) / (1 + Math.abs(yObjective) + Math.abs(xObjective));
  return { ...base, status, message: status === 'success' ? '' : `sdpa phase ${phase}`, y: [], X: [], Z: [], yObjective, xObjective, gap };
}
