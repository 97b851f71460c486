/** Bad arguments: exit 2, and nothing was sent. */
export class UsageError extends Error {}

/** Anything else that went wrong: exit 1, one line. */
export class CliError extends Error {}
