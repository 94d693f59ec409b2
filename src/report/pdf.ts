/**
 * The page printed to PDF by headless Chromium (Debian's `chromium`), with a
 * fresh profile and every background request switched off.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../language/usage.ts';
import { tempName } from './write.ts';

/** Flags for a headless Chromium that contacts nothing (the profile directory is added per run). */
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
] as const;

/** /usr/bin/chromium, else `chromium` on PATH. */
export function findChromium(): string | undefined {
  const candidates = ['/usr/bin/chromium', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'chromium'))];
  return candidates.find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const NO_CHROMIUM = 'report: --pdf needs Chromium, and neither /usr/bin/chromium nor chromium on PATH was found; install it (Debian: apt-get install chromium) or leave out --pdf (the HTML page prints well from any browser)';

/** Prints `html` (a file) to `dir/index.pdf` through a temporary file; returns the PDF's path. */
export function printPdf(chromium: string, html: string, dir: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'boundlab-chromium-'));
  const temp = tempName(dir, 'index.pdf');
  try {
    const r = spawnSync(chromium, [
      // the headings become the PDF's bookmarks
      ...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--no-pdf-header-footer', '--generate-pdf-document-outline', `--print-to-pdf=${temp}`, pathToFileURL(html).href,
    ], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0 || !existsSync(temp)) {
      const why = r.error?.message ?? r.stderr.trim().split('\n').slice(-3).join(' ');
      throw new UsageError(`report: ${chromium} could not print ${html} to PDF (${r.status === null ? 'killed' : `exit ${r.status}`}): ${why}`);
    }
    const target = join(dir, 'index.pdf');
    renameSync(temp, target);
    return target;
  } finally {
    rmSync(profile, { recursive: true, force: true });
    rmSync(temp, { force: true });
  }
}
