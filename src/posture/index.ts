/** Public surface of the posture module. */
export {assessPosture, type AssessOptions} from './assess-posture.js'
export {collectPosture, type CollectPostureOptions, type CollectPostureResult} from './collect-posture.js'
export {CONTROL_ORDER, CONTROLS, type ControlId} from './controls/catalog.js'
export {renderReport, renderTable} from './render.js'
export {DEFAULT_PHI_DIR, takeSnapshot} from './snapshot.js'
export type {ControlResult, ControlStatus, Evidence, PostureDocument} from './types.js'
export {encryptionFinding, type EncryptionFinding} from './encryption-finding.js'
