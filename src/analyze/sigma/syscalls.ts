/**
 * Syscall numbers to names for Sigma's `SYSCALL` field when the audit log was written in the RAW
 * format (`syscall=59`); the ENRICHED format writes the name itself (`SYSCALL=execve`), which wins.
 * The tables hold the syscalls Linux Sigma rules and the hardening guide's audit rules name, and the
 * common process, file, network and privilege calls, for x86_64, aarch64 and i386.
 */

const X86_64: Readonly<Record<number, string>> = {
  0: 'read', 1: 'write', 2: 'open', 3: 'close', 4: 'stat', 5: 'fstat', 6: 'lstat', 9: 'mmap', 10: 'mprotect', 21: 'access',
  22: 'pipe', 32: 'dup', 33: 'dup2', 41: 'socket', 42: 'connect', 43: 'accept', 44: 'sendto', 45: 'recvfrom', 49: 'bind',
  50: 'listen', 56: 'clone', 57: 'fork', 58: 'vfork', 59: 'execve', 60: 'exit', 61: 'wait4', 62: 'kill', 63: 'uname',
  76: 'truncate', 77: 'ftruncate', 80: 'chdir', 82: 'rename', 83: 'mkdir', 84: 'rmdir', 85: 'creat', 86: 'link', 87: 'unlink',
  88: 'symlink', 89: 'readlink', 90: 'chmod', 91: 'fchmod', 92: 'chown', 93: 'fchown', 94: 'lchown', 95: 'umask', 99: 'sysinfo',
  101: 'ptrace', 103: 'syslog', 105: 'setuid', 106: 'setgid', 112: 'setsid', 113: 'setreuid', 114: 'setregid', 117: 'setresuid',
  119: 'setresgid', 133: 'mknod', 135: 'personality', 137: 'statfs', 155: 'pivot_root', 157: 'prctl', 161: 'chroot', 165: 'mount',
  166: 'umount2', 169: 'reboot', 170: 'sethostname', 175: 'init_module', 176: 'delete_module', 188: 'setxattr', 189: 'lsetxattr',
  190: 'fsetxattr', 197: 'removexattr', 198: 'lremovexattr', 199: 'fremovexattr', 200: 'tkill', 231: 'exit_group', 234: 'tgkill',
  257: 'openat', 258: 'mkdirat', 259: 'mknodat', 260: 'fchownat', 263: 'unlinkat', 264: 'renameat', 265: 'linkat', 266: 'symlinkat',
  268: 'fchmodat', 269: 'faccessat', 272: 'unshare', 288: 'accept4', 304: 'open_by_handle_at', 308: 'setns', 310: 'process_vm_readv',
  311: 'process_vm_writev', 313: 'finit_module', 316: 'renameat2', 319: 'memfd_create', 321: 'bpf', 322: 'execveat',
  434: 'pidfd_open', 435: 'clone3', 437: 'openat2',
}

const AARCH64: Readonly<Record<number, string>> = {
  17: 'getcwd', 29: 'ioctl', 33: 'mknodat', 34: 'mkdirat', 35: 'unlinkat', 36: 'symlinkat', 37: 'linkat', 38: 'renameat',
  39: 'umount2', 40: 'mount', 41: 'pivot_root', 48: 'faccessat', 49: 'chdir', 51: 'chroot', 52: 'fchmod', 53: 'fchmodat',
  54: 'fchownat', 55: 'fchown', 56: 'openat', 57: 'close', 63: 'read', 64: 'write', 92: 'personality', 93: 'exit',
  94: 'exit_group', 97: 'unshare', 105: 'init_module', 106: 'delete_module', 116: 'syslog', 117: 'ptrace', 129: 'kill',
  130: 'tkill', 131: 'tgkill', 142: 'reboot', 143: 'setregid', 144: 'setgid', 145: 'setreuid', 146: 'setuid', 147: 'setresuid',
  149: 'setresgid', 157: 'setsid', 160: 'uname', 161: 'sethostname', 167: 'prctl', 179: 'sysinfo', 198: 'socket', 200: 'bind',
  201: 'listen', 202: 'accept', 203: 'connect', 206: 'sendto', 207: 'recvfrom', 220: 'clone', 221: 'execve', 222: 'mmap',
  226: 'mprotect', 242: 'accept4', 260: 'wait4', 268: 'setns', 270: 'process_vm_readv', 271: 'process_vm_writev',
  273: 'finit_module', 276: 'renameat2', 279: 'memfd_create', 280: 'bpf', 281: 'execveat', 434: 'pidfd_open', 435: 'clone3', 437: 'openat2',
}

const I386: Readonly<Record<number, string>> = {
  1: 'exit', 2: 'fork', 3: 'read', 4: 'write', 5: 'open', 6: 'close', 10: 'unlink', 11: 'execve', 12: 'chdir', 14: 'mknod',
  15: 'chmod', 26: 'ptrace', 37: 'kill', 38: 'rename', 39: 'mkdir', 40: 'rmdir', 88: 'reboot', 102: 'socketcall', 103: 'syslog',
  116: 'sysinfo', 120: 'clone', 128: 'init_module', 129: 'delete_module', 136: 'personality', 190: 'vfork', 295: 'openat',
  297: 'mknodat', 301: 'unlinkat', 350: 'finit_module', 356: 'memfd_create', 357: 'bpf', 358: 'execveat',
}

/** `arch=` as audit writes it (AUDIT_ARCH_*, hex) to its table. */
const TABLES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  '40000003': I386,
  c000003e: X86_64,
  c00000b7: AARCH64,
}

/** The syscall's name, or undefined when the architecture or the number is not in the tables. */
export function syscallName(arch: string | undefined, syscall: string | undefined): string | undefined {
  if (arch === undefined || syscall === undefined || !/^\d+$/.test(syscall)) return undefined
  return TABLES[arch.toLowerCase()]?.[Number(syscall)]
}
