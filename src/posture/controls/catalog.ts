/** The contract's control ids, their titles, HIPAA Security Rule citations and how to fix a failure (the hardening guide's setting). Data only. */
export const CONTROLS = {
  'audit.identity-watch': {reference: '45 CFR 164.312(b) audit controls', title: 'Audit rules watch passwd, shadow, group and sudoers for writes', fix: 'add `-w /etc/passwd -p wa -k user_changes` (and the same for /etc/shadow, /etc/group, /etc/sudoers) to /etc/audit/rules.d/, then `augenrules --load`'},
  'audit.phi-watch': {reference: '45 CFR 164.312(b) audit controls', title: 'An audit rule watches the PHI directory for reads and writes', fix: 'add `-w PHI_DIR -p rwa -k phi_access` to /etc/audit/rules.d/hipaa.rules, then `augenrules --load`'},
  'auth.lockout': {reference: '45 CFR 164.308(a)(5)(ii)(C) log-in monitoring; 164.312(d)', title: 'Accounts lock after 5 or fewer failed logins (pam_faillock / pam_tally2)', fix: 'enable pam_faillock with `deny=5` (or fewer) and `unlock_time=900` in the auth stack (authselect on RHEL, pam-auth-update or common-auth on Debian/Ubuntu)'},
  'encryption.phi-at-rest': {reference: '45 CFR 164.312(a)(2)(iv) encryption and decryption', title: 'The PHI directory is on a LUKS volume or fscrypt-encrypted', fix: 'put the PHI directory on a LUKS (cryptsetup) volume or an fscrypt-encrypted directory, and move the data there'},
  'logs.remote': {reference: '45 CFR 164.312(b) audit controls; 164.312(c)(1) integrity', title: 'rsyslog forwards logs over TCP/TLS', fix: 'forward with rsyslog over TCP with TLS (`*.* @@loghost:6514` with a gtls stream driver, or an omfwd action with TLS)'},
  'password.aging': {reference: '45 CFR 164.308(a)(5)(ii)(D) password management', title: 'Passwords expire within 90 days (PASS_MAX_DAYS)', fix: 'set `PASS_MAX_DAYS 90` in /etc/login.defs (and `chage -M 90 USER` for existing accounts)'},
  'password.quality': {reference: '45 CFR 164.308(a)(5)(ii)(D) password management', title: 'pwquality requires minlen >= 14 and minclass >= 3', fix: 'set `minlen = 14` and `minclass = 3` in /etc/security/pwquality.conf'},
  'phi.permissions': {reference: '45 CFR 164.312(a)(1) access control; 164.312(c)(1) integrity', title: 'The PHI directory is not world-accessible', fix: '`chmod o-rwx PHI_DIR` (and give access through a group instead)'},
  'session.timeout': {reference: '45 CFR 164.312(a)(2)(iii) automatic logoff', title: 'Shell sessions time out (readonly TMOUT <= 900)', fix: 'add `TMOUT=900` and `readonly TMOUT` and `export TMOUT` in /etc/profile.d/tmout.sh'},
  'ssh.allow-groups': {reference: '45 CFR 164.312(a)(1) access control; 164.308(a)(4)(ii)(B)', title: 'sshd restricts logins to named groups or users', fix: 'set `AllowGroups` (or `AllowUsers`) in /etc/ssh/sshd_config, then `sshd -t && systemctl reload ssh`'},
  'ssh.banner': {reference: '45 CFR 164.308(a)(5)(i) security awareness', title: 'sshd shows a warning banner', fix: 'write the warning text to /etc/issue.net and set `Banner /etc/issue.net` in /etc/ssh/sshd_config'},
  'ssh.idle-timeout': {reference: '45 CFR 164.312(a)(2)(iii) automatic logoff', title: 'sshd drops idle sessions within 900 s', fix: 'set `ClientAliveInterval 300` and `ClientAliveCountMax 0` (product at most 900 s) in /etc/ssh/sshd_config'},
  'ssh.max-auth-tries': {reference: '45 CFR 164.312(d) person or entity authentication', title: 'sshd allows 3 or fewer authentication attempts', fix: 'set `MaxAuthTries 3` in /etc/ssh/sshd_config'},
  'ssh.password-authentication': {reference: '45 CFR 164.312(d) person or entity authentication', title: 'sshd refuses password authentication', fix: 'set `PasswordAuthentication no` in /etc/ssh/sshd_config (keys only), then `sshd -t && systemctl reload ssh`'},
  'ssh.permit-root-login': {reference: '45 CFR 164.312(a)(2)(i) unique user identification', title: 'sshd refuses root logins', fix: 'set `PermitRootLogin no` in /etc/ssh/sshd_config (the first value sshd reads wins, Include files first), then `sshd -t && systemctl reload ssh`'},
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
