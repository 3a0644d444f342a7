/**
 * Options given as text or already parsed (servers, --connect-to rules): each text read with
 * `parse`, which returns the value or why it does not read; `fail` makes the error for the first
 * that does not, so the CLI says it as a usage error and the library as an OptionError.
 */
export function parseSpecs<Parsed extends object>(specs: readonly (string | Parsed)[], parse: (text: string) => Parsed | string,
  fail: (reason: string) => Error): Parsed[] {
  return specs.map((spec) => {
    if (typeof spec !== 'string') return spec;
    const parsed = parse(spec);
    if (typeof parsed === 'string') throw fail(parsed);
    return parsed;
  });
}
