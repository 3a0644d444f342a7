import type { DnsRecord } from './records.js';
import type { ExtendedDnsError, Question, ResponseFlags } from './message.js';
import type { ServerAddress } from './server-address.js';

/** An answer the server gave with authority to give it: the name exists (NOERROR) or does not (NXDOMAIN). */
export interface LookupAnswer {
  ok: true;
  question: Question;
  rcode: 'NOERROR' | 'NXDOMAIN';
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
  flags: ResponseFlags;
  /** Extended DNS Errors (RFC 8914) the server attached. */
  extendedErrors: ExtendedDnsError[];
  /** "127.0.0.1:53", or the zone files that answered */
  server: string;
  /** 'zone': answered from zone files read by mxlint, nothing sent. */
  transport: 'udp' | 'tcp' | 'zone';
  durationMs: number;
}

export type LookupFailureKind =
  | 'timeout'
  | 'network'
  | 'servfail'
  | 'refused'
  | 'rcode'
  | 'malformed'
  /** The question cannot be put on the wire (a bad label, an unknown type); nothing was sent. */
  | 'invalid-query'
  /** TC set even over TCP: the answer does not fit in a DNS message, and what came is incomplete. */
  | 'truncated'
  /** Recursion was asked for and a referral came back: the server is not a recursive resolver (for us). */
  | 'referral'
  /** Cut short: the check's deadline passed (or it was cancelled) before the answer came, or before it was asked. */
  | 'deadline'
  /** The answers' CNAME chain loops or is longer than mxlint follows: where it ends is not known. */
  | 'alias-chain'
  /** Deliberately not asked: the name lies outside the zone files checked and the run is offline. */
  | 'not-asked';

export interface LookupFailure {
  ok: false;
  question: Question;
  kind: LookupFailureKind;
  /** One line with the context: what was asked, of whom, what came back. */
  message: string;
  /** The rcode mnemonic for servfail, refused and rcode failures. */
  rcode?: string;
  extendedErrors: ExtendedDnsError[];
  /** The last server tried. */
  server?: string;
  durationMs: number;
}

export type Lookup = LookupAnswer | LookupFailure;

/**
 * Anything that answers DNS questions the way the resolver does: the resolver itself, or another
 * source of answers (a zone file, one authoritative server). Facts are collected through this, so a
 * collector never cares where the answers come from.
 */
export interface LookupSource {
  lookup(name: string, type: string, options?: LookupSourceOptions): Promise<Lookup>;
}

export interface LookupSourceOptions {
  flags?: Partial<{ recursionDesired: boolean; dnssecOk: boolean; checkingDisabled: boolean }>;
  /**
   * Ask these servers instead of the source's own (one authoritative server, asked directly). The
   * resolver does; a source answering from zone files answers the names they hold itself, as their
   * servers would.
   */
  servers?: ServerAddress[];
  /**
   * Once aborted, the lookup ends at once as a failure of kind 'deadline', and what it had in flight
   * is cancelled (unless another lookup still waits for the same answer). Its reason says why.
   */
  signal?: AbortSignal;
}

/**
 * What the resolver and its transports listen to for a cancellation: an AbortSignal, or the
 * cheaper one a lookup shared through the cache gets (an AbortController per lookup costs more than
 * the rest of a cached miss).
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Why a signal was aborted, as a clause: "the check's deadline (30000 ms) passed". */
export function abortReason(signal: Cancellation): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}

/** The same source, every lookup of it bound to `signal` (a check's deadline). */
export function boundToSignal(source: LookupSource, signal: AbortSignal): LookupSource {
  return { lookup: (name, type, options) => source.lookup(name, type, { ...options, signal }) };
}

/**
 * `answer`, or `instead()` as soon as `signal` is aborted if that comes first; the abort listener
 * goes when the answer comes, so a long-lived signal does not collect them.
 */
export function untilAborted<T>(answer: Promise<T>, signal: Cancellation | undefined, instead: () => T): Promise<T> {
  if (signal === undefined) return answer;
  if (signal.aborted) return Promise.resolve(instead());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => resolve(instead());
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    }, (error: unknown) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
  });
}

/**
 * A referral (RFC 1034 §4.3.1, §4.3.2): no answer, not authoritative, and in the authority section
 * the NS records of a zone to ask next instead of an SOA. A server that does not recurse answers a
 * question about a name below one of its delegations this way.
 */
export function isReferral(reply: { flags: { aa: boolean }; answers: readonly DnsRecord[]; authorities: readonly DnsRecord[] }): boolean {
  return !reply.flags.aa && reply.answers.length === 0 && reply.authorities.some((r) => r.type === 'NS') && !reply.authorities.some((r) => r.type === 'SOA');
}

/** Records of one type at one owner in an answer, e.g. the A records of the exchange. */
export function recordsAt<T extends DnsRecord['type']>(records: DnsRecord[], name: string, type: T): Extract<DnsRecord, { type: T }>[] {
  return records.filter((r): r is Extract<DnsRecord, { type: T }> => r.type === type && r.name === name);
}
