// Driver for benchmark 4: seals an evidence folder exactly as `collect` does (sealBundle: hash
// every file, manifest, custody chain, SHA256SUMS + signature, tar.gz, signature of the tarball).
// Usage: node bench/drivers/seal.mjs BUNDLE_DIR OUT_DIR
import {basename, join} from 'node:path'

import {AcquisitionLog} from '../../dist/bundle/acquisition-log.js'
import {createOneTimeSigner} from '../../dist/integrity/signer.js'
import {sealBundle} from '../../dist/workflows/seal-bundle.js'

const [bundleDir, outDir] = process.argv.slice(2)
const name = basename(bundleDir)
const now = () => new Date()
const result = await sealBundle({
  bundleDir,
  collectedAt: now(),
  collectors: [],
  examiner: 'bench',
  host: 'bench01',
  log: new AcquisitionLog(join(bundleDir, 'acquisition.jsonl'), now),
  name,
  now,
  skipped: [],
  options: {caseId: 'BENCH', outDir, phiDirs: [], root: '/', since: new Date(0), signer: createOneTimeSigner('BENCH'), toolVersion: 'bench'},
  startedAt: now(),
})
process.stdout.write(`${JSON.stringify({files: result.files, tarball: result.tarball})}\n`)
