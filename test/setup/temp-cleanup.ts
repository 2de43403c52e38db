import {afterAll} from 'vitest'

import {removeTempDirs} from '../helpers/temp.js'

// Every test file: remove the folders it made with makeTempDir.
afterAll(removeTempDirs)
