import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {buildAccounts, mergeSudoers, parseGroup, parsePasswd, parseShadow, parseSudoers} from '../../../src/collectors/parsers/accounts.js'

// Layouts as Debian 12, Ubuntu 24.04 and RHEL 9 ship them (trimmed to the lines that matter).
const debianPasswd = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
alice:x:1000:1000:Alice Admin,,,:/home/alice:/bin/bash
ehr:x:998:998:EHR service:/opt/ehr:/usr/sbin/nologin
toor:x:0:0::/root2:/bin/sh
`
const debianGroup = `root:x:0:
sudo:x:27:alice
adm:x:4:syslog,alice
www-data:x:33:
alice:x:1000:
ehr:x:998:
`
const debianShadow = `root:*:19700:0:99999:7:::
daemon:*:19700:0:99999:7:::
www-data:*:19700:0:99999:7:::
sshd:!:19700::::::
alice:$y$j9T$abcdefghijklmnopqrstu.$ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk:20150:0:99999:7:::
ehr:!$6$saltsalt$hashhashhashhash:20000:0:99999:7:::
toor::0:0:99999:7:::
`
const debianSudoers = `#
# This file MUST be edited with the 'visudo' command as root.
Defaults\tenv_reset
Defaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# User privilege specification
root\tALL=(ALL:ALL) ALL

# Allow members of group sudo to execute any command
%sudo\tALL=(ALL:ALL) ALL

# See sudoers(5) for more information on "@include" directives:

@includedir /etc/sudoers.d
`
const rhelSudoers = `## Allows people in group wheel to run all commands
%wheel\tALL=(ALL)\tALL
## Same thing without a password
# %wheel\tALL=(ALL)\tNOPASSWD: ALL
User_Alias ADMINS = jsmith, mikem
ADMINS ALL = /usr/sbin/useradd, \\
   /usr/sbin/userdel
#includedir /etc/sudoers.d
`
const rhelShadow = `root:!!:19800:0:99999:7:::
bin:*:19800:0:99999:7:::
jsmith:$6$rounds=5000$salt$hash:19900:0:99999:7:::
`

describe('accounts parsers', () => {
  it('passwd and group: every account with its groups (Debian 12 / Ubuntu 24.04 layout)', () => {
    const passwd = parsePasswd(debianPasswd)
    expect(passwd.map((p) => p.user)).toEqual(['root', 'daemon', 'www-data', 'sshd', 'alice', 'ehr', 'toor'])
    expect(passwd[4]).toEqual({gecos: 'Alice Admin,,,', gid: 1000, home: '/home/alice', shell: '/bin/bash', uid: 1000, user: 'alice'})
    const groups = parseGroup(debianGroup)
    expect(groups.find((g) => g.name === 'adm')?.members).toEqual(['syslog', 'alice'])
  })

  it('shadow keeps the state and the last change, never the hash', () => {
    const rows = parseShadow(debianShadow)
    expect(rows.map((r) => [r.user, r.password])).toEqual([
      ['root', 'locked'], ['daemon', 'locked'], ['www-data', 'locked'], ['sshd', 'locked'],
      ['alice', 'set'], ['ehr', 'locked'], ['toor', 'none'],
    ])
    expect(rows.find((r) => r.user === 'alice')?.lastChange).toBe('2025-03-03')
    expect(rows.find((r) => r.user === 'toor')).toMatchObject({lastChange: null, mustChange: true})
    expect(JSON.stringify(rows)).not.toMatch(/\$y\$|\$6\$|hash/)
    // RHEL marks a never-set password with !!
    expect(parseShadow(rhelShadow).map((r) => r.password)).toEqual(['locked', 'locked', 'set'])
  })

  it('sudoers: users, %groups, User_Alias, continuations and includes (Debian and RHEL files)', () => {
    const debian = parseSudoers(debianSudoers, '/etc/sudoers')
    expect([...debian.users.keys()]).toEqual(['root'])
    expect([...debian.groups.keys()]).toEqual(['sudo'])
    expect(debian.groups.get('sudo')?.[0]).toEqual({rule: '%sudo ALL=(ALL:ALL) ALL', where: '/etc/sudoers:10'})
    expect(debian.includes).toEqual(['/etc/sudoers.d'])

    const rhel = parseSudoers(rhelSudoers, '/etc/sudoers')
    expect([...rhel.groups.keys()]).toEqual(['wheel'])
    expect([...rhel.users.keys()]).toEqual(['jsmith', 'mikem'])
    expect(rhel.users.get('jsmith')?.[0]?.rule).toBe('ADMINS ALL = /usr/sbin/useradd, /usr/sbin/userdel')
    expect(rhel.includes).toEqual(['/etc/sudoers.d'])
  })

  it('buildAccounts: who can become root, and why', () => {
    const dropIn = parseSudoers('deploy-bot ALL=(root) NOPASSWD: /usr/bin/systemctl restart ehr\n', '/etc/sudoers.d/ehr')
    const rows = buildAccounts(parsePasswd(debianPasswd), parseGroup(debianGroup), parseShadow(debianShadow),
      mergeSudoers([parseSudoers(debianSudoers, '/etc/sudoers'), dropIn]))
    const byUser = Object.fromEntries(rows.map((r) => [r.user, r]))
    expect(byUser.alice).toMatchObject({groups: ['alice', 'sudo', 'adm'], password: 'set', sudo: true})
    expect(byUser.alice?.sudo_via).toEqual(['/etc/sudoers:10: %sudo ALL=(ALL:ALL) ALL'])
    expect(byUser.toor).toMatchObject({password: 'none', sudo: true, sudo_via: ['uid 0']})
    expect(byUser['www-data']).toMatchObject({sudo: false, sudo_via: []})
    expect(byUser.ehr).toMatchObject({password: 'locked', sudo: false})
    // Shadow unreadable (not root): the state is unknown, not guessed.
    expect(buildAccounts(parsePasswd(debianPasswd), [], null, mergeSudoers([]))[4]?.password).toBeNull()
  })

  it('never throws and stays linear on hostile input', () => {
    fc.assert(fc.property(fc.string({maxLength: 400}), (text) => {
      parsePasswd(text)
      parseGroup(text)
      parseShadow(text)
      parseSudoers(text, 'f')
    }))
    const start = performance.now()
    parseSudoers(`${'a,'.repeat(50_000)}b ${'#'.repeat(50_000)}\n`, 'f')
    parseSudoers(`${'x \\\n'.repeat(20_000)}`, 'f')
    expect(performance.now() - start).toBeLessThan(5000)
  })
})
