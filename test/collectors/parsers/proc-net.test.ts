import fc from 'fast-check'
import {readFileSync} from 'node:fs'
import {endianness} from 'node:os'
import {describe, expect, it} from 'vitest'

import {formatIpv6, parseProcNet, type ProcNetProtocol} from '../../../src/collectors/parsers/proc-net.js'
import {clockTicksFromAuxv, isKernelThread, parseProcStat, socketInode} from '../../../src/collectors/parsers/proc.js'
import {fixture} from './fixture.js'

describe('parseProcNet', () => {
  it('reads captured /proc/net/tcp: a listener on any address, loopback connections, little-endian words', () => {
    const rows = parseProcNet(fixture('proc-net/debian-12-tcp.txt'), 'tcp')
    expect(rows).toHaveLength(4)
    expect(rows[0]).toEqual({inode: 573_136, listening: true, local_address: '0.0.0.0', local_port: 8022, protocol: 'tcp', remote_address: '0.0.0.0', remote_port: 0, state: 'LISTEN', uid: 0})
    // 0100007F:BEBE → 127.0.0.1:48830, connected to 127.0.0.1:8022.
    expect(rows[1]).toMatchObject({listening: false, local_address: '127.0.0.1', local_port: 48_830, remote_address: '127.0.0.1', remote_port: 8022, state: 'ESTAB'})
  })

  it('reads captured /proc/net/tcp6: ::, ::1, IPv4-mapped peers and TIME-WAIT rows that no process holds (inode 0)', () => {
    const rows = parseProcNet(fixture('proc-net/debian-12-tcp6.txt'), 'tcp6')
    expect(rows.map((r) => `${r.state} ${r.local_address}:${r.local_port} ${r.remote_address}:${r.remote_port}`)).toEqual([
      'LISTEN :::8444 :::0',
      'LISTEN ::1:8443 :::0',
      'ESTAB ::1:8443 ::1:43368',
      'ESTAB ::1:43368 ::1:8443',
      'ESTAB ::ffff:127.0.0.1:8444 ::ffff:127.0.0.1:53718',
      'TIME-WAIT ::ffff:127.0.0.1:8444 ::ffff:127.0.0.1:57160',
      'TIME-WAIT ::1:8443 ::1:42494',
    ])
    expect(rows.filter((r) => r.inode === 0).map((r) => r.state)).toEqual(['TIME-WAIT', 'TIME-WAIT'])
    expect(rows.every((r) => r.protocol === 'tcp6')).toBe(true)
  })

  it('reads captured /proc/net/udp and udp6: a bound socket with no peer is listening (UNCONN, as ss -l lists it)', () => {
    expect(parseProcNet(fixture('proc-net/debian-12-udp.txt'), 'udp')).toEqual([
      {inode: 573_137, listening: true, local_address: '127.0.0.1', local_port: 5353, protocol: 'udp', remote_address: '0.0.0.0', remote_port: 0, state: 'UNCONN', uid: 0},
    ])
    expect(parseProcNet(fixture('proc-net/debian-12-udp6.txt'), 'udp6')).toMatchObject([{listening: true, local_address: '::1', local_port: 5354, state: 'UNCONN'}])
  })

  it('reads a connected UDP socket as not listening, and a big-endian host\'s words in their order', () => {
    const line = '  12: 0100007F:0035 0A000005:D431 01 00000000:00000000 00:00000000 00000000  1000        0 99 2 0000000000000000 0\n'
    expect(parseProcNet(line, 'udp')[0]).toMatchObject({listening: false, local_address: '127.0.0.1', local_port: 53, remote_address: '5.0.0.10', remote_port: 54_321, state: 'ESTAB', uid: 1000})
    expect(parseProcNet(line, 'udp', 'BE')[0]).toMatchObject({local_address: '1.0.0.127', remote_address: '10.0.0.5'})
    const v6 = '   0: 000080FE00000000FF0C0000010000FE:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 7 1 0 100 0 0 10 0\n'
    expect(parseProcNet(v6, 'tcp6')[0]?.local_address).toBe('fe80::cff:fe00:1')
  })

  it('skips the header, blank and malformed lines, and names an unknown state by its code', () => {
    const text = 'sl local rem st\n\n   1: XYZ:0016 00000000:0000 0A 0:0 0:0 0 0 0 1\n   2: 0100007F:0016 00000000:0000 0D 0:0 0:0 0 0 0 5\n'
    expect(parseProcNet(text, 'tcp')).toMatchObject([{inode: 5, state: 'UNKNOWN-0D'}])
  })

  it('matches the kernel of this machine: our own listener appears with its port in /proc/self/net', async () => {
    const {createServer} = await import('node:net')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const port = (server.address() as {port: number}).port
      const rows = parseProcNet(readFileSync('/proc/self/net/tcp', 'utf8'), 'tcp', endianness())
      expect(rows.find((r) => r.local_port === port)).toMatchObject({listening: true, local_address: '127.0.0.1', state: 'LISTEN'})
    } finally {
      server.close()
    }
  })

  it('never throws on hostile text', () => {
    const protocols: ProcNetProtocol[] = ['tcp', 'tcp6', 'udp', 'udp6']
    const sample = fixture('proc-net/debian-12-tcp6.txt')
    fc.assert(
      fc.property(fc.oneof(fc.string({maxLength: 400, unit: 'binary'}), fc.nat(sample.length).map((n) => sample.slice(0, n))), fc.constantFrom(...protocols), (text, protocol) => parseProcNet(text, protocol).every((row) => Number.isSafeInteger(row.inode) && row.local_port <= 0xffff)),
    )
  })
})

describe('formatIpv6 (as inet_ntop prints)', () => {
  const bytes = (hex: string) => [...Buffer.from(hex, 'hex')]
  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
    ['20010db8000000010000000000000001', '2001:db8:0:1::1'],
    ['20010db8000100010001000100010001', '2001:db8:1:1:1:1:1:1'],
    ['20010db8000000010001000100010000', '2001:db8:0:1:1:1:1:0'],
    ['00000000000000000000ffffc0a80001', '::ffff:192.168.0.1'],
    ['000000000000000000000000c0a80001', '::192.168.0.1'],
    ['fe800000000000000000000000000000', 'fe80::'],
  ])('%s → %s', (hex, text) => {
    expect(formatIpv6(bytes(hex))).toBe(text)
  })
})

describe('/proc helpers of the processes collector', () => {
  it('socketInode reads socket:[N] links only', () => {
    expect(socketInode('socket:[573136]')).toBe(573_136)
    expect(socketInode('pipe:[573136]')).toBeNull()
    expect(socketInode('/tmp/socket:[1]')).toBeNull()
  })

  it('isKernelThread reads PF_KTHREAD from the stat flags', () => {
    const kthread = parseProcStat('2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 6 0 0 18446744073709551615')
    const user = parseProcStat('812 (sshd) S 1 812 812 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 900 0 0 18446744073709551615')
    expect(kthread && isKernelThread(kthread)).toBe(true)
    expect(user && isKernelThread(user)).toBe(false)
  })

  it('clockTicksFromAuxv finds AT_CLKTCK (and this machine\'s is a sane USER_HZ)', () => {
    const vector = Buffer.alloc(48)
    vector.writeBigUInt64LE(6n, 0)
    vector.writeBigUInt64LE(4096n, 8)
    vector.writeBigUInt64LE(17n, 16)
    vector.writeBigUInt64LE(250n, 24)
    expect(clockTicksFromAuxv(vector)).toBe(250)
    expect(clockTicksFromAuxv(Buffer.alloc(16))).toBeNull()
    expect(clockTicksFromAuxv(Buffer.from('garbage'))).toBeNull()
    expect(clockTicksFromAuxv(readFileSync('/proc/self/auxv'))).toBeGreaterThan(0)
  })
})
