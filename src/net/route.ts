import { OptionError } from '../core/errors.js';
import type { CheckOptions } from '../core/options.js';
import { classifyAddress } from './address.js';
import type { AddressClass } from './address.js';
import { connectTarget, connectToRules } from './connect-to.js';
import type { ConnectTarget } from './connect-to.js';
import type { ConnectToRule } from '../core/options.js';

/**
 * Where a connection mxlint opens beyond DNS goes, and whether it may: the one answer the SMTP
 * probe and the MTA-STS policy fetch both follow. A `--connect-to` rule sends it where the user
 * said; otherwise it goes to the address DNS gave, and only when that address is globally routable
 * or `--allow-private` was given — a zone must not turn a check into a scanner of internal networks.
 */
export interface ConnectPolicy {
  connectTo: readonly ConnectToRule[];
  allowPrivate: boolean;
}

export type Route =
  /** Connect here: the address from DNS, or where a rule sends it (`target.via`). */
  | { allowed: true; target: ConnectTarget }
  /** Not contacted: the address from DNS is not globally routable, and nothing said to go there anyway. */
  | { allowed: false; address: AddressClass };

/** The policy the check options ask for; throws OptionError for a rule that does not parse. */
export function connectPolicy(options: CheckOptions): ConnectPolicy {
  return {
    connectTo: connectToRules(options.connectTo ?? [], (reason) => new OptionError(`invalid connect-to: ${reason}`)),
    allowPrivate: options.allowPrivate ?? false,
  };
}

/** Where a connection for host `name` to `address` (from DNS, of `family`) on `port` goes, if anywhere. */
export function routeConnection(policy: ConnectPolicy, name: string, address: string, family: 4 | 6, port: number): Route {
  const target = connectTarget(policy.connectTo, name, address, port);
  // A redirected connection goes where the user said, not where the zone said.
  if (target.via || policy.allowPrivate) return { allowed: true, target };
  const range = classifyAddress(address, family);
  return range.globallyRoutable ? { allowed: true, target } : { allowed: false, address: range };
}
