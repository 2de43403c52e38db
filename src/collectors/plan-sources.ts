import {constants} from 'node:fs'
import {access, lstat} from 'node:fs/promises'
import {delimiter, join} from 'node:path'

import {asSeen} from '../core/system-path.js'
import {pathExists} from '../io/evidence-fs.js'
import {linksNote, resolveInRoot} from '../io/root-fs.js'
import {expandRootGlob} from '../io/root-glob.js'
import {buildPlan, isLive, type PlanInput, type PlannedCollector} from './plan.js'
import {findRotatedLogs} from './runners/log-sources.js'
import {findArgv} from './runners/phi-walk.js'
import type {EngineKey} from './spec.js'

export interface CollectionPlanInput extends PlanInput {
  /** --phi-dir values as seen on that system. */
  phiDirs: readonly string[]
  ctime: boolean
}

/** A collector skipped because the system lacks its evidence source: the collection is then `incomplete`. */
export interface SkippedCollector {
  id: string
  reason: string
  /** The reason in a few words, for the one-line summary ("no audit log"). */
  brief?: string
}

interface SourceCheck {
  skip?: {reason: string; brief: string}
  walk?: PlannedCollector['walk']
  commands?: PlannedCollector['commands']
  reads?: string[]
}

/**
 * The collection plan `collect` runs and `collectors list` shows: buildPlan's order and flag-driven
 * skips, plus the checks on that system's evidence sources (is there an audit.log, an auth log, a PHI
 * folder?). Both commands call this one function, so the dry run and the real run cannot disagree.
 */
export async function planCollection(input: CollectionPlanInput): Promise<PlannedCollector[]> {
  const plan = buildPlan(input)
  const findPath = await programOnPath('find')
  const checked: PlannedCollector[] = []
  for (const planned of plan) {
    if (planned.skip) {
      checked.push(planned)
      continue
    }
    const source = await sourceChecks[planned.engine]?.(input, planned, findPath !== undefined)
    checked.push({
      ...planned,
      ...(source?.commands ? {commands: source.commands} : {}),
      ...(source?.skip ? {skip: source.skip.reason, skipBrief: source.skip.brief, skipKind: 'no-source'} : {}),
      ...(source?.walk ? {walk: source.walk} : {}),
      ...(source?.reads ? {reads: source.reads} : {}),
    })
  }
  return checked
}

/** The collectors whose evidence source is missing: `skipped` in manifest.json and `collect --json`. */
export function skippedForStatus(plan: readonly PlannedCollector[]): SkippedCollector[] {
  return plan.filter((p) => p.skipKind === 'no-source' && p.skip).map((p) => ({id: p.id, reason: p.skip ?? '', ...(p.skipBrief ? {brief: p.skipBrief} : {})}))
}

/** Collectors that were to run on that system (selected and applicable), for "2 of 6 skipped". */
export function applicableCount(plan: readonly PlannedCollector[]): number {
  return plan.filter((p) => p.skipKind !== 'not-selected' && p.skipKind !== 'not-applicable').length
}

const sourceChecks: Partial<Record<EngineKey, (input: CollectionPlanInput, planned: PlannedCollector, hasFind: boolean) => Promise<SourceCheck>>> = {
  /** An image without /etc/passwd (a copy of /var/log alone) has no accounts to list. */
  async accounts(input) {
    if (await pathExists(inImage(input.root, '/etc/passwd'))) return {}
    return {skip: {brief: 'no /etc/passwd', reason: 'no /etc/passwd on this system: no accounts to list'}}
  },
  /** A command whose file is missing (last without /var/log/wtmp) is skipped; with none left to run, so is the collector. */
  async commands(input, planned) {
    const commands = await Promise.all(
      planned.commands.map(async (c) => (c.skip || !c.requiresFile || (await pathExists(inImage(input.root, asSeen(input.root, c.requiresFile)))) ? c : {...c, skip: `${asSeen(input.root, c.requiresFile)} does not exist on this system`})),
    )
    const missing = commands.filter((c) => c.skip && c.requiresFile && !planned.commands.find((p) => p.name === c.name)?.skip)
    if (missing.length === 0 || commands.some((c) => !c.skip)) return {commands}
    const files = missing.map((c) => asSeen(input.root, c.requiresFile ?? ''))
    return {commands, skip: {brief: `no ${files.join(', ')}`, reason: missing.map((c) => c.skip).join('; ')}}
  },
  /** A user's `files:` artifact with nothing to copy on this system is skipped (the collection is then incomplete). */
  async files(input, planned) {
    for (const file of planned.spec.files) if ((await expandRootGlob(input.root, file.glob, {maxMatches: 1})).matches.length > 0) return {}
    const globs = planned.spec.files.map((f) => f.glob).join(', ')
    return {skip: {brief: `no ${globs}`, reason: `no file matches ${globs} on this system`}}
  },
  async 'audit-search'(input) {
    const logs = await findRotatedLogs(input.root, '/var/log/audit', 'audit.log')
    if (logs.files.length > 0) return {}
    return {skip: {brief: 'no audit log', reason: 'no /var/log/audit/audit.log on this system (is auditd installed and running?)'}}
  },
  async 'auth-logs'(input, planned) {
    const files = []
    for (const base of ['auth.log', 'secure']) files.push(...(await findRotatedLogs(input.root, '/var/log', base)).files)
    if (files.length > 0) {
      // The log files are read directly; journalctl is only the fallback of journald-only systems.
      const commands = planned.commands.map((c) => (c.name === 'journalctl' ? {...c, skip: 'not needed: the auth log files are read directly'} : c))
      return {commands, reads: files.map((f) => f.seen)}
    }
    // Live, journalctl is asked; below --root the journal folder must be there.
    if (isLive(input.root) || (await pathExists(inImage(input.root, '/var/log/journal')))) return {}
    return {skip: {brief: 'no auth log', reason: 'no /var/log/auth.log, /var/log/secure or /var/log/journal on this system'}}
  },
  /** Live only (the plan skips it under --root): the kernel's view of every process, through /proc. */
  async processes() {
    if (await pathExists('/proc/self/stat')) return {reads: ['/proc/PID/{stat,status,cmdline,exe,cwd,fd,ns/net}', '/proc/PID/net/{tcp,tcp6,udp,udp6}', '/etc/passwd']}
    return {skip: {brief: 'no /proc', reason: '/proc is not mounted: no process can be read'}}
  },
  async 'phi-walk'(input, _planned, hasFind) {
    const walk: NonNullable<PlannedCollector['walk']> = []
    const missing: string[] = []
    for (const dir of input.phiDirs) {
      // As the walk resolves it: inside the image, the folder itself not followed.
      const found = resolveInRoot(input.root, dir, true)
      const top = found.host
      const info = found.problem ? undefined : await lstat(top).catch(() => undefined)
      if (info?.isDirectory()) walk.push({argv: hasFind ? findArgv(top, input.since, input.ctime) : null, dir})
      else missing.push(found.links.length > 0 || found.problem ? (linksNote(dir, found) ?? dir) : dir)
    }
    if (walk.length > 0) return {walk}
    return {skip: {brief: 'no PHI folder', reason: `no PHI folder found (${missing.join(', ')}); name yours with --phi-dir`}}
  },
}

/** Where a system path is on this machine, resolved inside the image (resolveInRoot); '' for a link loop (never there). */
function inImage(root: string, systemPath: string): string {
  const found = resolveInRoot(root, systemPath)
  return found.problem ? '' : found.host
}

/** The full path of a program on PATH (as collect's commands get it), or undefined. */
async function programOnPath(program: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, program)
    if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate
  }
  return undefined
}
