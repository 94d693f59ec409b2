/**
 * Proofs from the certificate at the sizes the suite leaves out
 * (tests/pep.test.ts and tests/pep-composite-proof.test.ts run N = 1, 2): for
 * gradient descent (worst case L R²/(4N + 2)) and proximal gradient
 * (L R²/(4N)) at N = 1, 2, 3 (or the N given), `boundlab pep METHOD --steps N
 * --proof` and `boundlab check --samples 20`, with the tests' checks (the
 * constant is the worst case up to the rounding margin, the file valid, its
 * claim established, its identity proved exactly) and the CPU seconds of each
 * process (csdp's included, /usr/bin/time; the machine is shared, so CPU is the
 * number to compare). Exit 1 when a check fails. Run `npm run build` first so
 * the processes run compiled code.
 *   npx tsx bench/pep-proof.ts [N ...]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/boundlab.mjs');
const dir = mkdtempSync(join(tmpdir(), 'bench-pep-proof-'));
const METHODS: { method: string; worst: (N: number) => number }[] = [
  { method: 'gd', worst: (N) => 1 / (4 * N + 2) },
  { method: 'proximal-gd', worst: (N) => 1 / (4 * N) },
];
const timed = (args: string[]) => {
  const p = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, BIN, ...args], { encoding: 'utf8', cwd: ROOT, maxBuffer: 1 << 28 });
  const [user, sys] = p.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
  return { code: p.status, out: p.stdout, err: p.stderr, cpu: user + sys };
};

const sizes = process.argv.slice(2).map(Number);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
let failed = false;
for (const { method, worst: worstOf } of METHODS) for (const N of sizes.length ? sizes : [1, 2, 3]) {
  const file = join(dir, `${method}${N}.md`);
  const worst = worstOf(N);
  const made = timed(['pep', method, '--steps', String(N), '--proof', file, '--json']);
  const bound = made.code === 0 ? JSON.parse(made.out).proof.bound as number : NaN;
  const checked = timed(['check', file, '--samples', '20', '--json']);
  const f = checked.code === 0 || checked.code === 1 ? JSON.parse(checked.out).files[0] : undefined;
  const identity = (f?.steps ?? []).filter((s: { relation: string }) => s.relation === '==').map((s: { verdict: string }) => s.verdict);
  const problems = [
    made.code !== 0 && `pep exited ${made.code}: ${made.err.trim().split('\n')[0]}`,
    !(bound >= worst * (1 - 1e-8) && Math.abs(bound - worst) / worst < 1e-5) && `constant ${bound}, worst case ${worst}`,
    checked.code !== 0 && `check exited ${checked.code}`,
    f?.verdict !== 'valid' && `the file is ${f?.verdict}`,
    f?.claim?.established !== true && 'the claim is not established',
    identity.join() !== 'proved' && `the identity is [${identity.join(', ')}], not proved`,
  ].filter(Boolean);
  failed ||= problems.length > 0;
  console.log(`${method} N = ${N}: pep --proof ${made.cpu.toFixed(1)} s CPU, check (${f?.steps.length ?? '?'} steps) ${checked.cpu.toFixed(1)} s CPU; ${problems.length ? `FAILED: ${problems.join('; ')}` : `valid, constant ${bound} for ${worst}, identity proved`}`);
}
process.exitCode = failed ? 1 : 0;
