import { parseDomainInput } from './name.js';
import { parseServerAddress } from './server-address.js';
import type { NameServerSpec } from '../core/options.js';
import { parseSpecs } from '../core/specs.js';

export type NameServerSpecParse = { ok: true; spec: NameServerSpec } | { ok: false; reason: string };

/**
 * Reads `--ns` as Zonemaster writes it: `NAME/ADDRESS` (the address may carry a port: `ns1.example/
 * 127.0.0.1:5300`, `ns1.example/[::1]:5300`), a bare `NAME` whose addresses the resolver finds, or a
 * bare `ADDRESS`, named by itself.
 */
export function parseNameServerSpec(text: string): NameServerSpecParse {
  const slash = text.indexOf('/');
  if (slash === -1) {
    const address = parseServerAddress(text);
    if (address.ok) return { ok: true, spec: { name: address.server.host, address: address.server } };
    const name = parseDomainInput(text);
    return name.valid ? { ok: true, spec: { name: name.name } } : { ok: false, reason: `"${text}" is neither a name server's name nor an address: ${name.reason}` };
  }
  const name = parseDomainInput(text.slice(0, slash));
  if (!name.valid) return { ok: false, reason: `"${text.slice(0, slash)}" is not a name server's name: ${name.reason}` };
  const address = parseServerAddress(text.slice(slash + 1));
  if (!address.ok) return { ok: false, reason: address.reason };
  return { ok: true, spec: { name: name.name, address: address.server } };
}

/** Name servers given as `--ns` writes them or already parsed; `fail` makes the error for the first that does not read. */
export function nameServerSpecs(specs: readonly (string | NameServerSpec)[], fail: (reason: string) => Error): NameServerSpec[] {
  return parseSpecs(specs, (text) => {
    const parsed = parseNameServerSpec(text);
    return parsed.ok ? parsed.spec : parsed.reason;
  }, fail);
}
