/**
 * Vitest's global setup: build dist/ once before any test file runs when the
 * sources changed since the last build. Every test that spawns `boundlab` then
 * runs the compiled code (bin/entry.mjs would otherwise transpile src/ through
 * tsx in each child: about 2 s more CPU per spawn, on some hundred spawns), and
 * no test's `npm pack` builds while others spawn from a half-written dist/.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JavaScript module without types
import { compiled } from '../bin/entry.mjs';
import { HANG_MS } from './hang.ts';

export default function setup(): void {
  if ((compiled as () => boolean)()) return;
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url))], { encoding: 'utf8', timeout: HANG_MS });
  if (r.status !== 0) throw new Error(`npm run build failed before the tests:\n${r.stdout}${r.stderr}`);
}
