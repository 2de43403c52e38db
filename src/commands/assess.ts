import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../cli/base-command.js'
import {assessPosture} from '../posture/assess-posture.js'
import {checkRoot} from '../cli/collect-flags.js'
import {renderTable} from '../posture/render.js'
import {DEFAULT_PHI_DIR} from '../core/system-path.js'
import type {PostureDocument} from '../posture/types.js'

export type AssessResult = PostureDocument & {report?: string}

export default class Assess extends BaseCommand<AssessResult> {
  static override description = `Judges each baseline control of the HIPAA server hardening guide (SSH, passwords, session timeout, account lockout, audit rules, encryption of the PHI directory, remote logging, PHI directory permissions) as pass, fail or unknown, with the configuration lines, file modes and command output that decided it and the HIPAA Security Rule citation.

Configuration is read below --root the way each program reads it (sshd Include globs and first-value-wins, PAM includes, audit rules.d, rsyslog includes). On the live system (root /) the running state is used where only it can tell: sshd -T, auditctl -l, lsblk and dmsetup for LUKS, fscrypt status. Under another --root those are unavailable and the controls that need them say so.

Exit 0 even when controls fail: this is a report. Exit 2 when --root does not exist.`

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --root /mnt/image --phi-dir /srv/records --json',
    '<%= config.bin %> <%= command.id %> --report risk-assessment-2026.md',
  ]

  static override flags = {
    'phi-dir': Flags.string({default: [DEFAULT_PHI_DIR], description: 'PHI directory as a path on the inspected system (repeatable)', multiple: true}),
    report: Flags.string({description: 'also write a dated Markdown risk-assessment report to this file (mode 0600)'}),
    root: Flags.string({default: '/', description: 'root filesystem of the system to assess (a mounted image or copy); / is the live system'}),
  }

  static override summary = 'Posture snapshot against the baseline controls (risk-assessment evidence)'

  async run(): Promise<AssessResult> {
    const {flags} = await this.parse(Assess)
    // The same --root check as collect: exit 2, code E_ROOT, with what to give instead.
    const root = await checkRoot(flags.root)
    const result = await assessPosture({phiDirs: flags['phi-dir'], root, toolVersion: this.config.version, ...(flags.report === undefined ? {} : {reportFile: flags.report})})
    if (!this.jsonEnabled()) {
      const colour = process.stdout.isTTY === true && process.env.NO_COLOR === undefined
      // Clipped to the terminal's width on a terminal; a file or a pipe gets every word.
      this.log(renderTable(result, process.stdout.isTTY ? {colour, width: process.stdout.columns ?? 120} : {colour}))
      if (result.report !== undefined) this.log(`Report written to ${result.report}`)
    }
    return result
  }
}
