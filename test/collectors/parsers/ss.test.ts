import {describe, expect, it} from 'vitest'

import {parseSs, parseSsProcesses, splitEndpoint} from '../../../src/collectors/parsers/ss.js'
import {fixture} from './fixture.js'

describe('parseSs', () => {
  it('reads real `ss -antp` output of Debian 12: shared sockets, IPv6, a %eth0 scope', () => {
    const rows = parseSs(fixture('ss/debian-12-antp.txt'))
    expect(rows).toHaveLength(9)
    expect(rows[0]).toEqual({local_address: '0.0.0.0', local_port: '2024', local_scope: null, netid: null, peer_address: '0.0.0.0', peer_port: '*', peer_scope: null, process: '', processes: [], recv_q: 0, send_q: 128, state: 'LISTEN'})
    expect(rows[5]).toEqual({
      local_address: 'fe80::fc:ff:fe00:1',
      local_port: '8443',
      local_scope: 'eth0',
      netid: null,
      peer_address: '::',
      peer_port: '*',
      peer_scope: null,
      process: 'users:(("python3",pid=6398,fd=4),("python3",pid=6356,fd=4))',
      processes: [{fd: 4, name: 'python3', pid: 6398}, {fd: 4, name: 'python3', pid: 6356}],
      recv_q: 0,
      send_q: 128,
      state: 'LISTEN',
    })
    expect(rows[6]).toMatchObject({local_address: '*', local_port: '2222', peer_address: '*', peer_port: '*'})
    expect(rows[7]).toMatchObject({local_address: '::1', local_port: '2222', peer_port: '54112', state: 'ESTAB'})
  })

  it('reads the Netid variant (`ss -ltnup`) and UDP tables', () => {
    const rows = parseSs(fixture('ss/debian-12-ltnup.txt'))
    expect(rows.map((row) => `${row.netid}/${row.state}/${row.local_port}`)).toEqual(['udp/UNCONN/5353', 'udp/UNCONN/5354', 'tcp/LISTEN/2024', 'tcp/LISTEN/8443', 'tcp/LISTEN/2222'])
    expect(parseSs(fixture('ss/debian-12-uanp.txt'))[1]).toMatchObject({local_address: '::1', netid: null, peer_address: '::', state: 'UNCONN'})
    expect(parseSs(fixture('ss/rhel-9-ltnup.txt'))[3]).toMatchObject({local_port: '5432', netid: 'tcp', processes: [{fd: 6, name: 'postmaster', pid: 1150}]})
  })

  it('reads Ubuntu scopes on IPv4 addresses and established IPv6 sessions', () => {
    const u22 = parseSs(fixture('ss/ubuntu-22.04-uanp.txt'))
    expect(u22[0]).toMatchObject({local_address: '127.0.0.53', local_port: '53', local_scope: 'lo'})
    expect(u22[1]).toMatchObject({local_address: '10.0.0.12', local_port: '68', local_scope: 'ens5', processes: [{fd: 18, name: 'systemd-network', pid: 611}]})
    const established = parseSs(fixture('ss/ubuntu-22.04-antp.txt'))[3]
    expect(established).toMatchObject({peer_address: '203.0.113.10', peer_port: '50022', send_q: 52, state: 'ESTAB'})
    expect(established?.processes).toHaveLength(2)
    expect(parseSs(fixture('ss/ubuntu-24.04-antp.txt'))[3]).toMatchObject({local_address: '2001:db8:10::5', local_port: '22', peer_address: '2001:db8::42', peer_port: '50110'})
  })

  it('splits endpoints of every spelling', () => {
    expect(splitEndpoint('[fe80::1]%eth0:8443')).toEqual({address: 'fe80::1', port: '8443', scope: 'eth0'})
    expect(splitEndpoint('*:*')).toEqual({address: '*', port: '*', scope: null})
    expect(splitEndpoint(':::22')).toEqual({address: '::', port: '22', scope: null})
  })

  it('keeps process names with spaces, commas and parentheses', () => {
    expect(parseSsProcesses('users:(("Web Content, (x)",pid=7,fd=3),("a",pid=8,fd=4))')).toEqual([{fd: 3, name: 'Web Content, (x)', pid: 7}, {fd: 4, name: 'a', pid: 8}])
    expect(parseSsProcesses('users:(("trunc')).toEqual([])
  })
})
