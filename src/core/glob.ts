/**
 * Shell-style globs as regular-expression source: a star and a question mark never cross a slash,
 * brackets are character classes (a leading ! negates), and a double star crosses folders (a double
 * star between two slashes also matches a single slash). Shared by artifact globs (one path part at a
 * time) and the patient map (whole paths). Pure.
 */
export function globSource(glob: string): string {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string
    if (c === '*' && glob[i + 1] === '*') {
      if (glob[i + 2] === '/') {
        source += '(?:.*/)?'
        i += 2
      } else {
        source += '.*'
        i += 1
      }
    } else if (c === '*') source += '[^/]*'
    else if (c === '?') source += '[^/]'
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) source += '\\['
      else {
        const body = glob.slice(i + 1, end)
        source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&')
  }
  return source
}
