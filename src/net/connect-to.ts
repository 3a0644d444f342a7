import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { canonicalName, hostnameProblem } from '../dns/name.js';
import { parsePort, splitHostPort } from './host-port.js';
import { parseSpecs } from '../core/specs.js';
import type { ConnectToRule } from '../core/options.js';

export type ConnectToParse = { ok: true; rule: ConnectToRule } | { ok: false; reason: string };

/** One spelling per address (2A01:DB8:0::1 and 2a01:db8::1 are the same host), and per name. */
function hostKey(host: string): string {
  return isIP(host) !== 0 ? ipaddr.parse(host).toString() : canonicalName(host);
}

export function parseConnectTo(text: string): ConnectToParse {
  const equals = text.indexOf('=');
  const form = 'write HOST[:PORT]=ADDRESS[:PORT], IPv6 in brackets, e.g. mx1.example.com=127.0.0.1:2525';
  if (equals <= 0 || equals === text.length - 1) return { ok: false, reason: `"${text}" is not a rule: ${form}` };
  const from = splitHostPort(text.slice(0, equals).trim());
  const to = splitHostPort(text.slice(equals + 1).trim());
  const fromHost = hostKey(from.host);
  if (isIP(fromHost) === 0 && hostnameProblem(fromHost) !== null) {
    return { ok: false, reason: `"${from.host}" in "${text}" is neither a host name nor an IP address` };
  }
  if (isIP(to.host) === 0) return { ok: false, reason: `"${to.host}" in "${text}" is not an IP address (${form})` };
  const rule: ConnectToRule = { from: fromHost, to: to.host };
  for (const [side, port] of [['from', from.port], ['to', to.port]] as const) {
    if (port === undefined) continue;
    const value = parsePort(port);
    if (value === null) return { ok: false, reason: `"${text}" has no valid port (1-65535) after "${side === 'from' ? from.host : to.host}"` };
    if (side === 'from') rule.fromPort = value;
    else rule.toPort = value;
  }
  return { ok: true, rule };
}

/** A rule as `--connect-to` writes it: `HOST[:PORT]=ADDRESS[:PORT]`, IPv6 in brackets. */
export function formatConnectTo(rule: ConnectToRule): string {
  const side = (host: string, port: number | undefined): string => {
    const bracketed = isIP(String(host)) === 6 ? `[${host}]` : String(host);
    return port === undefined ? bracketed : `${bracketed}:${port}`;
  };
  return `${side(rule.from, rule.fromPort)}=${side(rule.to, rule.toPort)}`;
}

/** Rules given as text (`mx1.example.com=127.0.0.1:2525`) or already parsed; `fail` makes the error for the first that does not parse. */
export function connectToRules(specs: readonly (string | ConnectToRule)[], fail: (reason: string) => Error): ConnectToRule[] {
  return parseSpecs(specs, (text) => {
    const parsed = parseConnectTo(text);
    return parsed.ok ? parsed.rule : parsed.reason;
  }, fail);
}

export interface ConnectTarget {
  host: string;
  port: number;
  /** The rule that redirected the connection; absent when it goes where DNS said. */
  via?: ConnectToRule;
}

/**
 * Where a connection for `name` (the host name it is for) at `address` (from DNS) on `port` goes:
 * the first rule naming the address wins, then the first naming the host name; else the address.
 */
export function connectTarget(rules: readonly ConnectToRule[], name: string, address: string, port: number): ConnectTarget {
  const matches = (rule: ConnectToRule, key: string): boolean => rule.from === key && (rule.fromPort === undefined || rule.fromPort === port);
  const rule = rules.find((r) => matches(r, hostKey(address))) ?? rules.find((r) => matches(r, hostKey(name)));
  return rule ? { host: rule.to, port: rule.toPort ?? port, via: rule } : { host: address, port };
}
