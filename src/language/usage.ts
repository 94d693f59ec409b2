/** A user error: bad parameter, unknown id, unreadable input. The CLI prints it and exits 2. */
export class UsageError extends Error {}
