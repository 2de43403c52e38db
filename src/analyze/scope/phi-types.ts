/**
 * The kinds of PHI a breach exposed, as the facts file's `breach.phi_types` words, guessed from the
 * names of the folders the intruder touched (`/var/data/phi/labs/...` → lab-results). The words follow
 * the HHS breach portal's categories where one fits. A folder whose name says nothing is listed for
 * a person to describe, never given a type. Pure data and one function.
 */
const FOLDER_TYPES: ReadonlyArray<{words: RegExp; types: readonly string[]}> = [
  {types: ['name', 'address', 'date-of-birth'], words: /^(demographics?|patients?|registration|intake|persons?|people|members?)$/},
  {types: ['social-security-number'], words: /^(ssn|social[-_]?security)$/},
  {types: ['lab-results'], words: /^(labs?|laboratory|results?|pathology)$/},
  {types: ['medical-images'], words: /^(radiology|imaging|images?|pacs|dicom|xrays?|scans?)$/},
  {types: ['clinical-notes'], words: /^(notes?|charts?|clinical|encounters?|progress[-_]?notes|visits?|emr|ehr)$/},
  {types: ['diagnosis'], words: /^(diagnos[ie]s|dx|problems?|conditions?)$/},
  {types: ['medications'], words: /^(rx|pharmacy|prescriptions?|medications?|meds)$/},
  {types: ['billing', 'health-insurance'], words: /^(billing|claims?|insurance|payments?|invoices?|payers?)$/},
  {types: ['mental-health'], words: /^(mental[-_]?health|psych|psychiatry|behavioral([-_]?health)?|therapy)$/},
  {types: ['genetic-information'], words: /^(genetics?|genomics?|dna)$/},
  {types: ['scanned-documents'], words: /^(documents?|uploads?|attachments?|faxes?|scanned)$/},
]

export interface PhiTypes {
  types: string[]
  /** For each type, the folders that gave it (for the facts draft's comments). */
  from: Record<string, string[]>
  /** Folders touched whose names say nothing: a person describes what they hold. */
  unknownFolders: string[]
}

/** The PHI folder a path lies in, one level below its PHI root (`/var/data/phi/labs/x.csv` → `/var/data/phi/labs`). */
function topFolder(path: string, phiDirs: readonly string[]): string | undefined {
  for (const dir of phiDirs) {
    const root = dir.endsWith('/') ? dir : `${dir}/`
    if (!path.startsWith(root)) continue
    const rest = path.slice(root.length).split('/')
    return rest.length > 1 ? `${root}${rest[0]}` : undefined
  }
  return undefined
}

export function phiTypesOf(paths: Iterable<string>, phiDirs: readonly string[]): PhiTypes {
  const from: Record<string, Set<string>> = {}
  const unknown = new Set<string>()
  const folders = new Set<string>()
  for (const path of paths) {
    const parts = path.split('/').slice(1, -1)
    const hits = FOLDER_TYPES.filter((t) => parts.some((p) => t.words.test(p.toLowerCase())))
    for (const hit of hits) {
      const folder = path.slice(0, path.lastIndexOf('/'))
      for (const type of hit.types) (from[type] ??= new Set()).add(folder)
    }
    const top = topFolder(path, phiDirs)
    if (top !== undefined) folders.add(top)
    if (hits.length === 0) unknown.add(top ?? path.slice(0, path.lastIndexOf('/')) ?? '/')
  }
  const order = FOLDER_TYPES.flatMap((t) => t.types)
  const types = Object.keys(from).sort((a, b) => order.indexOf(a) - order.indexOf(b))
  return {from: Object.fromEntries(types.map((t) => [t, [...(from[t] ?? [])].sort().slice(0, 5)])), types, unknownFolders: [...unknown].sort()}
}
