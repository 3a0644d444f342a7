/** An option the caller got wrong (a bad server address, an unknown family): a usage error, not a DNS failure. */
export class OptionError extends Error {
  override name = 'OptionError';
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  ENOTDIR: 'a directory in the path is a file',
  EISDIR: 'it is a directory, not a file',
};

/** Why a file could not be read, without the syscall and path that Node's messages repeat. */
export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== undefined && READ_FAILURES[code] !== undefined) return READ_FAILURES[code];
  return error instanceof Error ? error.message : String(error);
}

/**
 * Every DNS server of a run refused every query so far (nothing listens there): nothing can be
 * checked through them, so a bulk run stops with this instead of failing domain after domain.
 * A usage-style error, like a bad option: the servers given (or found) are the mistake.
 */
export class DeadServersError extends OptionError {
  override name = 'DeadServersError';
}
