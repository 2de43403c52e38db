/** `analyze --sigma DIR`: load Sigma rules, turn evidence into what they read, run them (docs/analyze-sigma.md). */
export {bundleAuditEvidence, type BundleAuditSource} from './audit-files.js'
export {auditEvidence, AuditEvidenceGrouper, type AuditSource} from './audit-records.js'
export {evidenceFromCaseEvent} from './case-event.js'
export type {SigmaEvidence, SigmaOrigin} from './evidence.js'
export {loadSigmaDir, type LoadedSigma} from './load.js'
export type {SigmaRule, SkippedRule} from './rule.js'
export {runSigma, type SigmaInput, type SigmaRun} from './run.js'
export {caseEventRows, loadSigmaDirs, sigmaFindings, sigmaSkippedEntry, type SigmaCaseInput, type SigmaCaseOutput, type SigmaSkippedEntry} from './case.js'
