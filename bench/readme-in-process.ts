/**
 * tests/readme.test.ts runs the README's commands in its own process
 * (tests/fixtures/main-here.ts); this shows that changes no outcome. Each
 * command (at the test's small sizes, after the test's earlier report) runs
 * twice, in two scratch folders: `node bin/boundlab.mjs` spawned, and mainHere,
 * every command in one process as in the test. Compared: the exit code, stdout
 * (parsed where --json), and the names of the files in the folder afterwards.
 * Not compared: wall-clock times (`seconds` fields, "(1.2 s)") and the
 * folder's own path. Prints each mismatch (exit 1 when there is one) and the CPU time of both ways.
 * Run: npx tsx bench/readme-in-process.ts
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mainHere } from '../tests/fixtures/main-here.ts';
import { EARLIER_REPORT, README_COMMANDS, readmeArgs, readmeFolder, ROOT, wholeReport } from '../tests/fixtures/readme-commands.ts';

const BIN = join(ROOT, 'bin/boundlab.mjs');
const spawnedFolder = readmeFolder(), hereFolder = readmeFolder();

/** Files under a folder (symlinked proofs/ and theorems/ not followed), by relative path. */
function files(dir: string, under = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isSymbolicLink()) return [];
    return e.isDirectory() ? files(p, under) : [relative(under, p)];
  }).sort();
}

/** Timing fields removed: everything else of a JSON document is compared. */
const untimed = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(untimed)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'seconds').map(([k, x]) => [k, untimed(x)]))
      : v;

function comparable(out: string, folder: string, json: boolean): unknown {
  const text = out.split(folder).join('<folder>');
  if (json) return untimed(JSON.parse(text));
  return text.replace(/\d+(\.\d+)? s\b/g, '<t> s');
}

/** CPU seconds of this process, and of its children that ended (Linux: /proc/self/stat, clock ticks of 1/100 s). */
const ownCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const childrenCpu = () => {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime (fields 16 and 17)
};
let spawnedSeconds = 0, hereSeconds = 0, compared = 0, mismatches = 0;

async function both(args: string[], label: string, json: boolean): Promise<void> {
  const c0 = childrenCpu();
  const s = spawnSync(process.execPath, [BIN, ...args], { cwd: spawnedFolder, encoding: 'utf8', maxBuffer: 64 << 20 });
  spawnedSeconds += childrenCpu() - c0;
  const h0 = ownCpu();
  const h = await mainHere(args, { cwd: hereFolder });
  hereSeconds += ownCpu() - h0;
  const a = { code: s.status, out: comparable(s.stdout, spawnedFolder, json), files: files(spawnedFolder) };
  const b = { code: h.code, out: comparable(h.out, hereFolder, json), files: files(hereFolder) };
  compared++;
  const same = isDeepStrictEqual(a, b);
  if (!same) {
    mismatches++;
    console.log(`MISMATCH ${label}\n  spawned:    ${JSON.stringify(a).slice(0, 2000)}\n  in-process: ${JSON.stringify(b).slice(0, 2000)}`);
  } else console.log(`same (exit ${s.status}, ${s.stdout.length} bytes of stdout${json ? ', JSON' : ''}, ${a.files.length} files): ${label}`);
}

await both(EARLIER_REPORT, EARLIER_REPORT.join(' '), false);
for (const line of README_COMMANDS.filter((c) => !wholeReport(c))) {
  const { rest, args } = readmeArgs(line, spawnedFolder);
  await both(args, line, rest.includes('--json'));
}
for (const f of [spawnedFolder, hereFolder]) rmSync(f, { recursive: true, force: true });
console.log(`${compared} commands, ${mismatches} mismatches (exit code, stdout, files written); in-process CPU ${hereSeconds.toFixed(1)} s, spawned ${spawnedSeconds.toFixed(1)} s`);
process.exitCode = mismatches ? 1 : 0;
