import type {CollectorSpec} from '../spec.js'

/**
 * The keys of the hardening guide's audit rules. Each one that exists on the system (named in its
 * audit rules or found in its audit logs) is searched, phi_access always; `--audit-key` adds more.
 */
export const GUIDE_AUDIT_KEYS = [
  'phi_access', 'app_access', 'user_changes', 'shadow_changes', 'group_changes', 'sudoers_changes', 'auth_log', 'root_commands', 'file_deletion', 'ssh_key_changes',
] as const

/** The key whose files the contract names (`audit/phi_access.raw`, `audit/phi_access.txt`). */
export const PHI_AUDIT_KEY = 'phi_access'

export const audit = {
  id: 'audit',
  version: '1.0.0',
  title: 'Audit records of PHI access and of the hardening guide\'s rules',
  why: 'auditd watches on the PHI directory (key phi_access) say which account read or changed which patient file; the guide\'s other keys (accounts, sudoers, SSH keys, root commands, deletions) say what else changed.',
  volatility: 40,
  engine: 'audit-search',
  parser: 'audit',
  timeoutMs: 300_000,
  maxOutputBytes: 512 * 1024 * 1024,
  needsRoot: true,
  liveOnly: false,
  containsPhi: true,
  outputDir: 'audit',
  commands: [
    {
      name: 'ausearch-raw',
      argv: ['ausearch', '-k', '{audit-key}', '-ts', '{since:ausearch-date}', '{since:ausearch-time}', '--raw', '{audit-input}'],
      parser: 'audit',
      liveOnly: false,
    },
    {
      name: 'ausearch-interpreted',
      argv: ['ausearch', '-k', '{audit-key}', '-ts', '{since:ausearch-date}', '{since:ausearch-time}', '-i', '{audit-input}'],
      parser: 'none',
      liveOnly: false,
    },
  ],
} as const satisfies CollectorSpec
