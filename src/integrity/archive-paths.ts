/**
 * Pure checks on paths found in archives and checksum files: no absolute paths, no `..`, no NUL.
 * Returns the path's components (with `.` and empty components dropped) or a reason it is unsafe.
 */
export function safeRelativeComponents(path: string): string[] | {unsafe: string} {
  if (path.includes('\0')) return {unsafe: 'contains a NUL byte'}
  if (path.startsWith('/')) return {unsafe: 'is an absolute path'}
  const components = path.split('/').filter((part) => part !== '' && part !== '.')
  if (components.includes('..')) return {unsafe: 'contains a ".." component'}
  if (components.length === 0) return {unsafe: 'is empty'}
  return components
}

export function isUnsafe(result: string[] | {unsafe: string}): result is {unsafe: string} {
  return !Array.isArray(result)
}
