/**
 * Every `npx boundlab ...` command in the README's fenced shell blocks, run as
 * written (in a scratch folder holding the repository's proofs/ and theorems/)
 * with small sizes appended: a later value of an option wins, so `--steps 200`
 * followed by `--steps 10` runs 10 steps. A command may find a violation at
 * that size (exit 1) but never be refused (exit 2): the README shows nothing a
 * user would have to fix. Left out: `report` without targets (twice in the
 * README), which is the whole default job with every experiment and law check
 * at its own size; bench/report.ts times it, tests/report.test.ts checks its parts.
 * Each runs in this process (mainHere): bench/readme-in-process.ts shows each
 * gives the exit code and stdout of `node bin/boundlab.mjs`.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { readdirSync, rmSync } from 'node:fs';
import { mainHere } from './fixtures/main-here.ts';
import { EARLIER_REPORT, README_COMMANDS as COMMANDS, readmeArgs, readmeFolder, SMALL, wholeReport } from './fixtures/readme-commands.ts';

let cwd = '';

beforeAll(async () => {
  cwd = readmeFolder();
  const r = await mainHere(EARLIER_REPORT, { cwd });
  if (r.code !== 0) throw new Error(`the earlier report failed: ${r.err}`);
});

afterAll(() => { if (cwd) rmSync(cwd, { recursive: true, force: true }); });

describe('the README', () => {
  it('has its commands found by the extraction', () => {
    expect(COMMANDS.length).toBeGreaterThan(20);
    expect(COMMANDS).toContain('npx boundlab verify gd-convex --family huber --steps 200 --set gamma=1/L --json');
  });

  it.each(COMMANDS.filter((c) => !wholeReport(c)).map((c) => [c]))('%s', async (line) => {
    const { command, rest, args } = readmeArgs(line, cwd);
    expect(SMALL[command], `no small sizes for '${command}'`).toBeDefined();
    const r = await mainHere(args, { cwd });
    expect(r.code, `${line}\n${r.err}`).not.toBe(2);
    expect([0, 1]).toContain(r.code);
    expect(r.out.length + readdirSync(cwd).length).toBeGreaterThan(0);
    if (rest.includes('--json')) expect(() => JSON.parse(r.out)).not.toThrow();
  });
});
