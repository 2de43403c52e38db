import {describe, expect, it} from 'vitest'

import {fleetStatus, statusExitCode} from '../../src/fleet/fleet-status.js'
import {parseIniInventory} from '../../src/fleet/inventory.js'
import {
  buildFleetManifest, fleetManifestKeys, newRunId, parseFleetManifest, signFleetManifest, type FleetManifestHost,
} from '../../src/fleet/manifest.js'
import type {CaseListing} from '../../src/fleet/case-listing.js'
import {checkSignature} from '../../src/integrity/signify-keys.js'
import {decodePublicKey, decodeSignature} from '../../src/integrity/signify-format.js'
import {createOneTimeSigner} from '../../src/integrity/signer.js'

const sha = 'a'.repeat(64)
const host = (name: string, state: FleetManifestHost['state'], extra: Partial<FleetManifestHost> = {}): FleetManifestHost => ({
  address: `10.0.0.${name.length}`, bundle: state === 'done' || state === 'partial' ? `IR-1_${name}_20260301T101500Z` : null, host: name, inventory_name: name,
  key: state === 'done' || state === 'partial' ? `IR-1/${name}/IR-1_${name}_20260301T101500Z.tar.gz` : null, note: '', sha256: state === 'done' || state === 'partial' ? sha : null,
  state, version_id: state === 'done' || state === 'partial' ? 'v1' : null, ...extra,
})
const input = {bucket: 'b', case: 'IR-1', ended: '2026-03-01T10:20:00Z', run: '20260301T101500Z', started: '2026-03-01T10:15:00Z', tool_version: '0.1.0'}

describe('the run manifest', () => {
  it('is built sorted by inventory name, in the contract layout, and keyed under CASE/_fleet/RUN/', () => {
    const m = buildFleetManifest({...input, hosts: [host('web1', 'done'), host('db1', 'pending', {note: 'push: ECONNREFUSED'})], prefix: '/evidence/'})
    expect(m.hosts.map((h) => h.inventory_name)).toEqual(['db1', 'web1'])
    expect(m.prefix).toBe('evidence')
    expect(m.format).toBe('hipaa-ir-fleet-manifest/1')
    expect(fleetManifestKeys(m.prefix, m.case, m.run)).toEqual({
      folder: 'evidence/IR-1/_fleet/20260301T101500Z/', manifest: 'evidence/IR-1/_fleet/20260301T101500Z/fleet-manifest.json',
      pub: 'evidence/IR-1/_fleet/20260301T101500Z/fleet-manifest.pub', sig: 'evidence/IR-1/_fleet/20260301T101500Z/fleet-manifest.json.sig',
    })
    expect(newRunId(new Date('2026-03-01T10:15:00.123Z'), 'r2')).toBe('20260301T101500Z-r2')
  })

  it('refuses a host entry that cannot be checked later (exit 2)', () => {
    expect(() => buildFleetManifest({...input, hosts: [host('web1', 'done', {sha256: null})]})).toThrow(/state done needs bundle, key and sha256/)
    expect(() => buildFleetManifest({...input, hosts: [host('web1', 'weird' as 'done')]})).toThrow(/state "weird" is not one of/)
    expect(() => buildFleetManifest({...input, hosts: [host('web1', 'done'), host('web1', 'failed')]})).toThrow(/listed twice/)
    expect(() => buildFleetManifest({...input, hosts: [], run: '../x'})).toThrow(/run/)
    expect(() => fleetManifestKeys(undefined, '..', '20260301T101500Z')).toThrow(/case id/)
  })

  it('signs the exact stored text; a changed byte breaks the signature; parse refuses what is not a manifest', () => {
    const signer = createOneTimeSigner('IR-1')
    const m = buildFleetManifest({...input, hosts: [host('web1', 'done')]})
    const signed = signFleetManifest(m, signer)
    const key = decodePublicKey(signed.pubText)
    expect(checkSignature(Buffer.from(signed.text), decodeSignature(signed.sigText), key)).toBe('ok')
    expect(checkSignature(Buffer.from(signed.text.replace('web1', 'web2')), decodeSignature(signed.sigText), key)).toBe('bad-signature')
    expect(parseFleetManifest(signed.text, 'm').hosts).toHaveLength(1)
    expect(() => parseFleetManifest('{"format":"other"}', 'm')).toThrow(/is not a fleet manifest/)
  })
})

describe('fleet status rows', () => {
  const bundle = (h: string, stamp = '20260301T101500Z') => {
    const name = `IR-1_${h}_${stamp}`
    const oldest = {deleteMarker: false, key: `IR-1/${h}/${name}.tar.gz`, lastModified: new Date('2026-03-01T10:16:00Z'), versionId: 'v1'}
    return {folder: h, host: h, key: oldest.key, name, oldest, stamp, versions: {markers: [], versions: [oldest]}}
  }
  const listing = (...hosts: string[]): CaseListing => ({bundles: hosts.map((h) => bundle(h)), fleetKeys: new Map(), folder: 'IR-1/', other: [], runs: []})

  it('S3 wins: a pending host whose bundle is in the bucket now is done; a done host whose object is gone is failed', () => {
    const m = buildFleetManifest({...input, hosts: [host('web1', 'done'), host('web2', 'pending'), host('db1', 'done')]})
    const summary = fleetStatus(listing('web1', 'web2'), m)
    const state = Object.fromEntries(summary.rows.map((r) => [r.inventory_name, r.state]))
    expect(state).toEqual({db1: 'failed', web1: 'done', web2: 'done'})
    expect(summary.rows.find((r) => r.inventory_name === 'web2')?.note).toMatch(/stored after run 20260301T101500Z/)
    expect(summary.exitCode).toBe(6)
  })

  it('inventory hosts without a bundle are not-started; exit codes follow fleet collect', () => {
    const inv = parseIniInventory('[all_hosts]\nweb1.example.org ansible_host=10.0.0.1\ndb9 ansible_host=10.0.0.9\n')
    const summary = fleetStatus(listing('web1'), undefined, inv)
    expect(summary.rows.map((r) => [r.inventory_name, r.address, r.state])).toEqual([['db9', '10.0.0.9', 'not-started'], ['web1.example.org', '10.0.0.1', 'done']])
    expect(statusExitCode(['done'])).toBe(0)
    expect(statusExitCode(['done', 'partial'])).toBe(4)
    expect(statusExitCode(['partial', 'pending'])).toBe(5)
    expect(statusExitCode(['pending', 'no-answer'])).toBe(6)
  })
})
