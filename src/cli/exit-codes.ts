/** The contract's exit codes (CONTRACT.md, README "Exit codes"), plus 130/143 for a run stopped by a signal. */
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
