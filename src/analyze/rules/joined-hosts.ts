/**
 * Hosts joined by cross-host findings (a login on B from A's address) form one story, which the report
 * names above its case timeline.
 */
import type {Finding} from '../finding.js'

/** Groups of hosts joined by findings that name several hosts (`hosts`), each sorted; hosts on their own are left out. */
export function joinedHosts(findings: readonly Finding[]): string[][] {
  const parent = new Map<string, string>()
  const find = (h: string): string => {
    let root = h
    while (parent.get(root) !== root) root = parent.get(root) as string
    parent.set(h, root)
    return root
  }
  for (const finding of findings) {
    const hosts = finding.hosts ?? []
    if (hosts.length < 2) continue
    for (const h of hosts) if (!parent.has(h)) parent.set(h, h)
    for (const h of hosts.slice(1)) parent.set(find(h), find(hosts[0] as string))
  }
  const groups = new Map<string, string[]>()
  for (const h of parent.keys()) groups.set(find(h), [...(groups.get(find(h)) ?? []), h])
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] as string).localeCompare(b[0] as string))
}
