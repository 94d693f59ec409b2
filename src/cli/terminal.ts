/**
 * Writing text that holds user input (titles, justifications, expressions,
 * file names) to a terminal or a pipe. Control characters in it are shown
 * escaped, never sent: an escape sequence in a proof file's title would
 * otherwise clear the screen or set the window title of whoever checks it,
 * and a bidirectional override would make a line read differently from what
 * it says. Newlines and tabs are ours and stay.
 */

// C0 but \t and \n, DEL, C1, the line and paragraph separators, bidi embeddings, overrides and isolates
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escaped = (ch: string): string => {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** The text with every control character written as \xNN (or \uNNNN). */
export const printable = (text: string): string => text.replace(CONTROL, escaped);

/**
 * JSON text of a value. JSON.stringify already escapes C0; the rest of the
 * control characters above become \uNNNN too, so the document is still the
 * same JSON when parsed, and safe when printed as it is.
 */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(CONTROL, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** stdout, control characters escaped. */
export const say = (text: string): void => { process.stdout.write(printable(text)); };
/** stderr, control characters escaped. */
export const warn = (text: string): void => { process.stderr.write(printable(text)); };
/** A JSON document on stdout, with its newline. */
export const sayJson = (value: unknown): void => { process.stdout.write(jsonText(value) + '\n'); };
