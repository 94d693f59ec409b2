/** Reading an input file that may be anything a user names: held to a byte budget, regular files only. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { UsageError } from '../language/usage.ts';
import { DEFAULT_LIMITS } from '../language/limits.ts';

/**
 * The text of a regular file of at most `maxBytes` bytes. A device (`/dev/zero`
 * would be read until memory runs out), a directory, a FIFO, or a larger file
 * is a UsageError naming the file and the fix; so is text that is not UTF-8.
 */
export function readInput(path: string, maxBytes: number = DEFAULT_LIMITS.bytes): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: cannot read it: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new UsageError(`${path}: is a folder; name the files in it (e.g. ${path.replace(/\/$/, '')}/*.md)`);
    if (!st.isFile()) throw new UsageError(`${path}: is not a regular file (a device, a pipe or a socket); save the text to a file first`);
    if (st.size > maxBytes) throw new UsageError(`${path}: ${st.size} bytes, above the budget of ${maxBytes} (raise it with --limit bytes=N)`);
    // read no more than the budget even if the file grows meanwhile
    const buf = Buffer.alloc(Math.min(st.size, maxBytes) + 1);
    let got = 0, n: number;
    while (got < buf.length && (n = readSync(fd, buf, got, buf.length - got, null)) > 0) got += n;
    if (got > maxBytes) throw new UsageError(`${path}: more than ${maxBytes} bytes (raise the budget with --limit bytes=N)`);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, got));
    } catch {
      throw new UsageError(`${path}: is not UTF-8 text`);
    }
  } finally {
    closeSync(fd);
  }
}
