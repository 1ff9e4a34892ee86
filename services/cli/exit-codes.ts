/** The `ferry` CLI's exit codes (docs/cli.md lists them). */
export const EXIT = {
  /** Done; with --wait, the deployment ended SUCCEEDED; `ferry doctor`: every check passed. */
  ok: 0,
  /** The API refused (a 4xx/5xx problem, an unknown function among them) or was unreachable or not the API, a followed deployment did not succeed, a doctor check failed. */
  failed: 1,
  /** A usage mistake: unknown command or flag, a missing or bad argument, an unreadable --file, a bad FERRY_URL, no AWS credentials for SigV4. */
  usage: 2,
  /** An unexpected error inside the CLI (`--debug` prints its stack trace). */
  internal: 70,
  /** Standard output was closed early (`ferry history f | head -1`): stops quietly, as a shell's SIGPIPE does. */
  closedPipe: 141,
} as const;
