/**
 * Writing the report: into a temporary file beside the target, then renamed
 * over it, so a reader never opens a half-written page and nothing else in
 * the directory is touched. A temporary file still open when the process is
 * interrupted (Ctrl-C, SIGTERM) is removed on the way out.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, mkdirSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from '../language/usage.ts';

/** Temporary files being written now. */
const live = new Set<string>();
let handlersInstalled = false;

/** On SIGINT or SIGTERM: remove our temporary files, then end as the signal would (130, 143). Installed once. */
export function removeOnSignal(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      for (const f of live) rmSync(f, { force: true });
      process.exit(code);
    });
  }
}

/**
 * Throws a UsageError naming `option` unless `dir` is a writable folder, or
 * could be made in one: checked before a long run, not found out after it.
 * Creates nothing (a run refused later leaves no folder behind).
 */
export function checkWritable(dir: string, option: string): void {
  let probe = resolve(dir);
  try {
    for (;;) {
      const st = statSync(probe, { throwIfNoEntry: false });
      if (st) {
        if (!st.isDirectory()) {
          throw new UsageError(probe === resolve(dir)
            ? `${option} ${dir}: is a file, not a folder; name a folder for the output`
            : `${option} ${dir}: cannot write there (a part of the path, ${probe}, is a file); name a folder you can write to`);
        }
        accessSync(probe, constants.W_OK);
        return;
      }
      const parent = dirname(probe);
      if (parent === probe) return;
      probe = parent;
    }
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${option} ${dir}: cannot write there (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is a file' : (e as Error).message}); name a folder you can write to`);
  }
}

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
  removeOnSignal();
  try {
    const fd = openSync(temp, 'wx');
    created = true;
    live.add(temp);
    try {
      writeFileSync(fd, content);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (e) {
    if (created) rmSync(temp, { force: true });
    throw e;
  } finally {
    live.delete(temp);
  }
  return target;
}
