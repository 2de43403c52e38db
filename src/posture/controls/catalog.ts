/** The contract's control ids, their titles and HIPAA Security Rule citations. Data only. */
export const CONTROLS = {
  'audit.identity-watch': {reference: '45 CFR 164.312(b) audit controls', title: 'Audit rules watch passwd, shadow, group and sudoers for writes'},
  'audit.phi-watch': {reference: '45 CFR 164.312(b) audit controls', title: 'An audit rule watches the PHI directory for reads and writes'},
  'auth.lockout': {reference: '45 CFR 164.308(a)(5)(ii)(C) log-in monitoring; 164.312(d)', title: 'Accounts lock after 5 or fewer failed logins (pam_faillock / pam_tally2)'},
  'encryption.phi-at-rest': {reference: '45 CFR 164.312(a)(2)(iv) encryption and decryption', title: 'The PHI directory is on a LUKS volume or fscrypt-encrypted'},
  'logs.remote': {reference: '45 CFR 164.312(b) audit controls; 164.312(c)(1) integrity', title: 'rsyslog forwards logs over TCP/TLS'},
  'password.aging': {reference: '45 CFR 164.308(a)(5)(ii)(D) password management', title: 'Passwords expire within 90 days (PASS_MAX_DAYS)'},
  'password.quality': {reference: '45 CFR 164.308(a)(5)(ii)(D) password management', title: 'pwquality requires minlen >= 14 and minclass >= 3'},
  'phi.permissions': {reference: '45 CFR 164.312(a)(1) access control; 164.312(c)(1) integrity', title: 'The PHI directory is not world-accessible'},
  'session.timeout': {reference: '45 CFR 164.312(a)(2)(iii) automatic logoff', title: 'Shell sessions time out (readonly TMOUT <= 900)'},
  'ssh.allow-groups': {reference: '45 CFR 164.312(a)(1) access control; 164.308(a)(4)(ii)(B)', title: 'sshd restricts logins to named groups or users'},
  'ssh.banner': {reference: '45 CFR 164.308(a)(5)(i) security awareness', title: 'sshd shows a warning banner'},
  'ssh.idle-timeout': {reference: '45 CFR 164.312(a)(2)(iii) automatic logoff', title: 'sshd drops idle sessions within 900 s'},
  'ssh.max-auth-tries': {reference: '45 CFR 164.312(d) person or entity authentication', title: 'sshd allows 3 or fewer authentication attempts'},
  'ssh.password-authentication': {reference: '45 CFR 164.312(d) person or entity authentication', title: 'sshd refuses password authentication'},
  'ssh.permit-root-login': {reference: '45 CFR 164.312(a)(2)(i) unique user identification', title: 'sshd refuses root logins'},
} as const

export type ControlId = keyof typeof CONTROLS

/** Report order: the contract's table order. */
export const CONTROL_ORDER: readonly ControlId[] = [
  'ssh.permit-root-login',
  'ssh.password-authentication',
  'ssh.max-auth-tries',
  'ssh.idle-timeout',
  'ssh.allow-groups',
  'ssh.banner',
  'password.quality',
  'password.aging',
  'session.timeout',
  'auth.lockout',
  'audit.phi-watch',
  'audit.identity-watch',
  'encryption.phi-at-rest',
  'logs.remote',
  'phi.permissions',
]
