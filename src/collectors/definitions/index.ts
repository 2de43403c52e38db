import type {CollectorSpec} from '../spec.js'
import {audit} from './audit.js'
import {auth} from './auth.js'
import {network} from './network.js'
import {phiFiles} from './phi-files.js'
import {posture} from './posture.js'
import {sessions} from './sessions.js'

/** Every collector hipaa-ir knows, in no particular order: the plan sorts them by volatility. */
export const collectorDefinitions: readonly CollectorSpec[] = [sessions, network, auth, audit, phiFiles, posture]
