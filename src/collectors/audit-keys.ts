/**
 * The keys of the hardening guide's audit rules. Each one that exists on the system (named in its
 * audit rules or found in its audit logs) is searched, phi_access always; `--audit-key` adds more.
 */
export const GUIDE_AUDIT_KEYS = [
  'phi_access', 'app_access', 'user_changes', 'shadow_changes', 'group_changes', 'sudoers_changes', 'auth_log', 'root_commands', 'file_deletion', 'ssh_key_changes',
] as const

/** The key whose files the contract names (`audit/phi_access.raw`, `audit/phi_access.txt`). */
export const PHI_AUDIT_KEY = 'phi_access'
