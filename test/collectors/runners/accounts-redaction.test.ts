import {describe, expect, it} from 'vitest'

import {withoutHashes} from '../../../src/collectors/runners/accounts.js'

describe('passwd and group copies without hashes', () => {
  it('keeps the markers that say where the password is, and replaces every hash, keeping a lock prefix', () => {
    const text = [
      'root:x:0:0:root:/root:/bin/bash',
      'daemon:*:1:1::/:/usr/sbin/nologin',
      'old:$1$salt$abcdefghijklmnopqrstuv:1000:1000::/home/old:/bin/sh',
      'locked:!$6$salt$abcdefghijklmnopqrstuv:1001:1001::/home/locked:/bin/sh',
      'empty::1002:1002::/home/empty:/bin/sh',
      'rhel:!!:1003:1003::/home/rhel:/bin/sh',
      'staff:$y$j9T$salt$hash:50:alice,bob',
      '',
    ].join('\n')
    const {removed, text: clean} = withoutHashes(text)
    expect(removed).toBe(3)
    expect(clean.split('\n')).toEqual([
      'root:x:0:0:root:/root:/bin/bash',
      'daemon:*:1:1::/:/usr/sbin/nologin',
      'old:<hash removed>:1000:1000::/home/old:/bin/sh',
      'locked:!<hash removed>:1001:1001::/home/locked:/bin/sh',
      'empty::1002:1002::/home/empty:/bin/sh',
      'rhel:!!:1003:1003::/home/rhel:/bin/sh',
      'staff:<hash removed>:50:alice,bob',
      '',
    ])
    expect(clean).not.toMatch(/\$(1|6|y)\$/)
  })
})
