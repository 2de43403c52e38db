/** The contract's exit codes: one table, used by every command and rendered into the docs. */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  Usage: 2,
  VerificationFailed: 3,
  PartialCollection: 4,
  PushFailed: 5,
  /** 128 + SIGINT (Ctrl-C), as shells report it. */
  Interrupted: 130,
  /** 128 + SIGTERM. */
  Terminated: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export const exitCodeMeanings: Readonly<Record<ExitCodeValue, string>> = {
  0: 'success',
  1: 'unexpected error',
  2: 'usage error: bad flag, bad argument, invalid facts file',
  3: 'verification failed: hash mismatch, missing or extra file, bad signature, wrong key, weak retention',
  4: 'partial collection: the bundle was written and signed, but at least one collector failed or timed out',
  5: 'push failed: the bundle is safe locally and marked pending',
  130: 'interrupted (Ctrl-C) before the bundle was sealed: the unsealed evidence is kept as NAME.incomplete',
  143: 'terminated (SIGTERM) before the bundle was sealed: the unsealed evidence is kept as NAME.incomplete',
}
