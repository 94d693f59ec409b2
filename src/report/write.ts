/**
 * Writing the report: into a temporary file beside the target, then renamed
 * over it, so a reader never opens a half-written page and nothing else in
 * the directory is touched.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fresh name in `dir` for a file about to become `name` (`.name.<random>.tmp.<ext>`). */
export const tempName = (dir: string, name: string): string =>
  join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp${name.slice(name.lastIndexOf('.'))}`);

/** Writes `dir/name` atomically (creating `dir`); returns its path. */
export function writeAtomically(dir: string, name: string, content: string | Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const target = join(dir, name);
  const temp = tempName(dir, name);
  // 'wx' never opens an existing file, so the cleanup below only ever removes our own.
  let created = false;
  try {
    const fd = openSync(temp, 'wx');
    created = true;
    try {
      writeFileSync(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    if (created) rmSync(temp, { force: true });
    throw e;
  }
  return target;
}
