/** An option the caller got wrong (a bad server address, an unknown family): a usage error, not a DNS failure. */
export class OptionError extends Error {
  override name = 'OptionError';
}

/**
 * Every DNS server of a run refused every query so far (nothing listens there): nothing can be
 * checked through them, so a bulk run stops with this instead of failing domain after domain.
 * A usage-style error, like a bad option: the servers given (or found) are the mistake.
 */
export class DeadServersError extends OptionError {
  override name = 'DeadServersError';
}
