import {describe, expect, it} from 'vitest'

import {parseIpRoute} from '../../../src/collectors/parsers/ip-route.js'
import {fixture} from './fixture.js'

const empty = {dev: null, flags: [], metric: null, nexthops: [], pref: null, proto: null, scope: null, src: null, table: null, type: 'unicast', via: null}

describe('parseIpRoute', () => {
  it('reads the real Debian 12 tables', () => {
    expect(parseIpRoute(fixture('ip-route/debian-12-v4.txt'))).toEqual([
      {...empty, dev: 'eth0', dst: 'default', raw: 'default via 192.0.2.1 dev eth0', via: '192.0.2.1'},
      {...empty, dev: 'eth0', dst: '192.0.2.0/24', proto: 'kernel', raw: '192.0.2.0/24 dev eth0 proto kernel scope link src 192.0.2.2', scope: 'link', src: '192.0.2.2'},
    ])
    expect(parseIpRoute(fixture('ip-route/debian-12-v6.txt'))[2]).toEqual({...empty, dev: 'eth0', dst: 'default', metric: 1024, pref: 'medium', raw: 'default via fd00::1 dev eth0 metric 1024 pref medium', via: 'fd00::1'})
  })

  it('reads DHCP routes and linkdown (Ubuntu 22.04)', () => {
    const rows = parseIpRoute(fixture('ip-route/ubuntu-22.04-v4.txt'))
    expect(rows[0]).toMatchObject({dst: 'default', metric: 100, proto: 'dhcp', src: '10.0.0.12', via: '10.0.0.1'})
    expect(rows[4]).toMatchObject({dev: 'docker0', flags: ['linkdown']})
  })

  it('reads route types and multipath next hops (RHEL 9, Ubuntu 24.04)', () => {
    const rows = parseIpRoute(fixture('ip-route/rhel-9-v4.txt'))
    expect(rows.map((row) => `${row.type} ${row.dst}`)).toEqual(['unicast default', 'blackhole 10.99.0.0/16', 'unicast 192.168.10.0/24', 'unicast 192.168.20.0/24', 'unreachable 203.0.113.0/24'])
    expect(rows[3]?.nexthops).toEqual([{dev: 'ens192', via: '192.168.10.2', weight: 1}, {dev: 'ens192', via: '192.168.10.3', weight: 2}])
    expect(rows[3]?.raw.split('\n')).toHaveLength(3)
    expect(parseIpRoute(fixture('ip-route/ubuntu-24.04-v6.txt'))[3]?.nexthops).toHaveLength(2)
    expect(parseIpRoute(fixture('ip-route/rhel-9-v6.txt'))[3]).toMatchObject({dst: 'default', flags: [], metric: 100, proto: 'ra', via: 'fe80::1'})
  })
})
