/** The contract's exit codes (CONTRACT.md, README "Exit codes"), plus 128 + N for a run stopped by signal N. */
export const ExitCode = {
  Ok: 0,
  Unexpected: 1,
  Usage: 2,
  VerificationFailed: 3,
  PartialCollection: 4,
  PushFailed: 5,
  /** fleet: at least one host has no stored bundle (failed, no answer, never reached). */
  NoBundle: 6,
  /** 128 + SIGHUP (the terminal or SSH connection went away). */
  Hangup: 129,
  /** 128 + SIGINT (Ctrl-C), as shells report it. */
  Interrupted: 130,
  /** 128 + SIGQUIT (Ctrl-\). */
  Quit: 131,
  /** 128 + SIGTERM. */
  Terminated: 143,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * The signals that stop a run the way SIGTERM does (cleanup, then 128 + N): Ctrl-C, a closed
 * terminal or dropped SSH session, Ctrl-\ and `kill`. None may leave plaintext evidence behind.
 */
export const STOP_SIGNALS = {SIGHUP: ExitCode.Hangup, SIGINT: ExitCode.Interrupted, SIGQUIT: ExitCode.Quit, SIGTERM: ExitCode.Terminated} as const

export type StopSignal = keyof typeof STOP_SIGNALS
