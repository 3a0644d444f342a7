/** An option the caller got wrong (a bad server address, an unknown family): a usage error, not a DNS failure. */
export class OptionError extends Error {
  override name = 'OptionError';
}
