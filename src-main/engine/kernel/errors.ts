/** A failure the kernel reports with an errno; commands turn it into iproute2's wording. */
export type Errno =
  | 'EEXIST'
  | 'ENOENT'
  | 'ESRCH'
  | 'ENODEV'
  | 'EINVAL'
  | 'ENETUNREACH'
  | 'EHOSTUNREACH'
  | 'EADDRNOTAVAIL'
  | 'EBUSY'
  | 'EPERM'
  | 'EACCES'
  | 'ENETDOWN'
  | 'EMSGSIZE'
  | 'EOPNOTSUPP'
  | 'ENFILE'
  | 'ERANGE'
  | 'ELOOP'
  | 'ENOBUFS'
  | 'EADDRINUSE'

/** strerror() texts, as iproute2 prints after "RTNETLINK answers: ". */
export const STRERROR: Record<Errno, string> = {
  EEXIST: 'File exists',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EBUSY: 'Device or resource busy',
  EPERM: 'Operation not permitted',
  EACCES: 'Permission denied',
  ENETDOWN: 'Network is down',
  EMSGSIZE: 'Message too long',
  EOPNOTSUPP: 'Operation not supported',
  ENFILE: 'Too many open files in system',
  ERANGE: 'Numerical result out of range',
  ELOOP: 'Too many levels of symbolic links',
  ENOBUFS: 'No buffer space available',
  EADDRINUSE: 'Address already in use',
}

export class KernelError extends Error {
  constructor(
    readonly errno: Errno,
    /** The extended ack message (NL_SET_ERR_MSG) when the kernel gives one. */
    readonly extack?: string,
  ) {
    super(extack ?? STRERROR[errno])
  }
}
