import { canonicalName, MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './name.js';
import { DEFAULT_QUERY_FLAGS, describeExtendedError } from './message.js';
import { rrtypeCode } from './rr/types.js';
import type { DecodedResponse, QueryFlags, Question } from './message.js';
import type { ExchangeOutcome, ExchangeRequest, TransportStats } from './exchange.js';
import { newTransportStats } from './exchange.js';
import { UdpTransport } from './udp-transport.js';
import { TcpTransport } from './tcp-transport.js';
import { LookupCache } from './cache.js';
import type { QueryRateLimit } from './rate-limit.js';
import { formatServerAddress } from './server-address.js';
import type { ServerAddress } from './server-address.js';
import { abortReason, isReferral, untilAborted } from './lookup.js';
import type { Cancellation, Lookup, LookupAnswer, LookupFailure, LookupFailureKind, LookupSource, LookupSourceOptions } from './lookup.js';

export const DEFAULT_TIMEOUT_MS = 2000;
export const DEFAULT_RETRIES = 2;
/** Pause before the first retry of a server; it doubles for each further retry. */
export const RETRY_BACKOFF_MS = 100;
/**
 * Refusals in a row (nothing listens: ICMP port unreachable, or a refused TCP connection) after
 * which a server that never answered counts as dead; when every server is, a bulk run stops.
 */
export const DEAD_SERVER_REFUSALS = 3;

export interface ResolverOptions {
  servers: ServerAddress[];
  /** Per attempt. */
  timeoutMs?: number;
  /** Further attempts per server after the first. */
  retries?: number;
  /** Always TCP; otherwise UDP with a TCP retry when the reply is truncated. */
  tcp?: boolean;
  /** Share one cache between resolvers (a bulk run), or `false` for none. Default: a cache of its own. */
  cache?: LookupCache | false;
  /** Caps the queries sent per second (every attempt counts); may be shared between resolvers. */
  rateLimit?: QueryRateLimit;
  /**
   * Start each lookup at the next server in turn (round-robin, like resolv.conf's `options rotate`),
   * failing over to the others as usual. Default: every lookup starts at the first server.
   */
  rotate?: boolean;
}

export type LookupOptions = LookupSourceOptions;

export interface ResolverStats extends TransportStats {
  lookups: number;
  cacheHits: number;
  joinedInFlight: number;
}

/**
 * Why a name cannot be sent, or null: labels of 1–63 octets, at most 253 octets in all (255 on the
 * wire). Octets, not characters: a label of 21 "€" is 63 octets.
 */
function wireNameProblem(name: string): string | null {
  if (name === '.') return null;
  // A label read from the wire with a "." or "\\" in it (written escaped): a query here carries plain labels only.
  if (name.includes('\\')) return 'holds a "\\" escape (a label with a "." or other special character in it), which mxlint does not send';
  const octets = Buffer.byteLength(name);
  if (octets > MAX_NAME_LENGTH) return `longer than ${MAX_NAME_LENGTH} octets`;
  // As many octets as characters: all ASCII, so a label's octets are its characters.
  const ascii = octets === name.length;
  for (let start = 0; ;) {
    const dot = name.indexOf('.', start);
    const end = dot === -1 ? name.length : dot;
    if (end === start) return 'has an empty label';
    if ((ascii ? end - start : Buffer.byteLength(name.slice(start, end))) > MAX_LABEL_LENGTH) {
      return `label "${name.slice(start, end)}" is longer than ${MAX_LABEL_LENGTH} octets`;
    }
    if (dot === -1) return null;
    start = dot + 1;
  }
}

/** Why this question cannot go on the wire, or null. */
function queryProblem(question: Question): string | null {
  const nameProblem = wireNameProblem(question.name);
  if (nameProblem !== null) return `the name ${nameProblem}`;
  // A mnemonic outside the registry has no number to send; 0 is reserved (RFC 6895 §3.1).
  const code = rrtypeCode(question.type);
  if (code === undefined || code === 0) return `"${question.type}" is not a DNS record type`;
  return null;
}

const RCODE_FAILURES: Record<string, LookupFailureKind> = { SERVFAIL: 'servfail', REFUSED: 'refused' };

/**
 * Asks DNS servers questions and always comes back with either an answer the server stood behind
 * (NOERROR or NXDOMAIN) or a typed failure — never an exception, never a guess.
 */
export class Resolver implements LookupSource {
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly servers: ServerAddress[];
  /** The servers as `heard` names them; a bulk run asks `deadServers` before every domain. */
  private readonly serverNames: string[];
  private readonly forceTcp: boolean;
  private readonly cache: LookupCache | null;
  private readonly rateLimit: QueryRateLimit | null;
  private readonly rotate: boolean;
  private turn = 0;
  private readonly serversKey: string;
  private readonly transportStats = newTransportStats();
  private readonly udp = new UdpTransport(this.transportStats);
  private readonly tcp = new TcpTransport(this.transportStats);
  private lookups = 0;
  /** Per server asked: refusals in a row, or null once it has answered anything. */
  private readonly refusals = new Map<string, number | null>();
  private closed = false;

  constructor(options: ResolverOptions) {
    if (options.servers.length === 0) throw new Error('a resolver needs at least one server');
    this.servers = options.servers;
    this.serverNames = options.servers.map(formatServerAddress);
    this.serversKey = serversKey(options.servers);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.forceTcp = options.tcp ?? false;
    this.cache = options.cache === false ? null : (options.cache ?? new LookupCache());
    this.rateLimit = options.rateLimit ?? null;
    this.rotate = options.rotate ?? false;
  }

  get stats(): ResolverStats {
    return {
      ...this.transportStats,
      lookups: this.lookups,
      cacheHits: this.cache?.stats.hits ?? 0,
      joinedInFlight: this.cache?.stats.joined ?? 0,
    };
  }

  lookup(name: string, type: string, options: LookupOptions = {}): Promise<Lookup> {
    this.lookups++;
    const question: Question = { name: canonicalName(name), type: type.toUpperCase() };
    const flags: QueryFlags = options.flags ? { ...DEFAULT_QUERY_FLAGS, ...options.flags } : DEFAULT_QUERY_FLAGS;
    const servers = options.servers ?? this.servers;
    const { signal } = options;
    if (signal?.aborted) return Promise.resolve(cutShort(question, signal, false, 0));
    if (!this.cache) return this.checkedAsk(question, flags, servers, signal);
    // The question is checked on a miss only: a hit is an identical question, checked when it was first asked.
    const key = `${question.name}|${question.type}|${+flags.recursionDesired}${+flags.dnssecOk}${+flags.checkingDisabled}|${
      servers === this.servers ? this.serversKey : serversKey(servers)}`;
    // Shared with whoever asks the same meanwhile: this caller gives up at its own abort, the lookup
    // itself only once every caller has.
    const started = performance.now();
    return this.cache.getOrLoad(key, (cancellation) => this.checkedAsk(question, flags, servers, cancellation),
      signal && { signal, abandoned: () => cutShort(question, signal, true, performance.now() - started) });
  }

  /** Closes the sockets; a lookup in flight then fails ('network') without another try, and so does any later one. */
  close(): void {
    this.closed = true;
    this.udp.close();
  }

  /**
   * When every server of this resolver has refused DEAD_SERVER_REFUSALS queries in a row and none
   * ever answered, what to say about it; otherwise null. Nothing checked through it can succeed.
   */
  deadServers(): string | null {
    const dead = this.serverNames.every((where) => (this.refusals.get(where) ?? 0) >= DEAD_SERVER_REFUSALS);
    if (!dead) return null;
    const which = this.servers.length === 1 ? `the DNS server ${this.serversKey}` : `every DNS server (${this.serversKey.replaceAll(',', ', ')})`;
    return `${which} refused every query: nothing listens there (ICMP port unreachable or connection refused)`;
  }

  private heard(where: string, refused: boolean): void {
    const before = this.refusals.get(where);
    if (before === null) return;
    this.refusals.set(where, refused ? (before ?? 0) + 1 : null);
  }

  private checkedAsk(question: Question, flags: QueryFlags, servers: ServerAddress[], signal: Cancellation | undefined): Promise<Lookup> {
    const problem = queryProblem(question);
    if (problem !== null) {
      return Promise.resolve(failure(question, 'invalid-query', `${describe(question)} cannot be asked: ${problem}; nothing was sent`, 0));
    }
    return this.ask(question, flags, servers, signal);
  }

  /** Each server in turn: up to 1 + retries attempts on silence or network errors, none on a bad reply. */
  private async ask(question: Question, flags: QueryFlags, servers: ServerAddress[], signal: Cancellation | undefined): Promise<Lookup> {
    const started = performance.now();
    const failures: LookupFailure[] = [];
    for (const server of this.rotate ? startingAt(servers, this.turn++ % servers.length) : servers) {
      const where = formatServerAddress(server);
      for (let attempt = 0; attempt <= this.retries; attempt++) {
        if (attempt > 0) await pause(RETRY_BACKOFF_MS * 2 ** (attempt - 1), signal);
        if (signal?.aborted) return cutShort(question, signal, failures.length > 0 || attempt > 0, performance.now() - started);
        // Closed: no socket is opened again for a run that has ended.
        if (this.closed) return failure(question, 'network', `${describe(question)}: the resolver was closed`, performance.now() - started);
        const { outcome, transport } = await this.attempt({ server, question, flags, timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) });
        const elapsed = performance.now() - started;
        if (outcome.kind === 'aborted') return cutShort(question, signal!, true, elapsed, where);
        if (outcome.kind === 'reply' || outcome.kind === 'malformed' || outcome.kind === 'refused') this.heard(where, outcome.kind === 'refused');
        if (outcome.kind === 'refused') {
          // Nothing listens: no retry can change that, so on to the next server at once.
          failures.push(failure(question, 'network', `${describe(question)}: ${outcome.reason}`, elapsed, where));
          break;
        }
        if (outcome.kind === 'reply') {
          const result = classify(question, flags, outcome.response, where, transport, elapsed);
          if (result.ok) return result;
          failures.push(result);
          break;
        }
        if (outcome.kind === 'malformed') {
          failures.push(failure(question, 'malformed', `${describe(question)}: malformed reply from ${where} (${outcome.reason})`, elapsed, where));
          break;
        }
        if (attempt === this.retries) {
          const tries = `${this.retries + 1} attempt${this.retries === 0 ? '' : 's'} of ${this.timeoutMs} ms`;
          failures.push(outcome.kind === 'timeout'
            ? failure(question, 'timeout', `${describe(question)}: no reply from ${where} after ${tries}`, elapsed, where)
            : failure(question, 'network', `${describe(question)}: ${outcome.reason} (${tries})`, elapsed, where));
        }
      }
    }
    return combine(failures, performance.now() - started);
  }

  private async attempt(request: ExchangeRequest): Promise<{ outcome: ExchangeOutcome; transport: 'udp' | 'tcp' }> {
    if (this.forceTcp) return { outcome: await this.overTcp(request), transport: 'tcp' };
    // Without a rate limit no turn is awaited: a promise per query less.
    if (this.rateLimit !== null && !await this.turnToSend(request.signal)) return { outcome: { kind: 'aborted' }, transport: 'udp' };
    const outcome = await this.udp.exchange(request);
    if (outcome.kind === 'reply' && outcome.response.flags.tc) {
      return { outcome: await this.overTcp(request), transport: 'tcp' };
    }
    return { outcome, transport: 'udp' };
  }

  private async overTcp(request: ExchangeRequest): Promise<ExchangeOutcome> {
    if (!await this.turnToSend(request.signal)) return { kind: 'aborted' };
    return this.tcp.exchange(request);
  }

  /** Waits for the rate limit, if any; false when the signal is aborted first. */
  private async turnToSend(signal: Cancellation | undefined): Promise<boolean> {
    const turn = this.rateLimit?.take();
    if (turn) return untilAborted(turn.then(() => true), signal, () => false);
    return true;
  }
}

/** Waits `ms`, or less if `signal` is aborted first. */
function pause(ms: number, signal: Cancellation | undefined): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The servers part of a cache key: the same answer may not be taken from another server. */
function serversKey(servers: ServerAddress[]): string {
  return servers.map(formatServerAddress).join(',');
}

/** The same servers, starting at `first` and wrapping round. */
function startingAt(servers: ServerAddress[], first: number): ServerAddress[] {
  return first === 0 ? servers : [...servers.slice(first), ...servers.slice(0, first)];
}

function describe(question: Question): string {
  return `${question.type} ${question.name}`;
}

function failure(question: Question, kind: LookupFailureKind, message: string, durationMs: number, server?: string,
  extra: Partial<LookupFailure> = {}): LookupFailure {
  return { ok: false, question, kind, message, extendedErrors: [], durationMs, ...(server === undefined ? {} : { server }), ...extra };
}

/** EDE 20 (RFC 8914 §4.21): the server is not authoritative for the name and does not recurse for us. */
const EDE_NOT_AUTHORITATIVE = 20;

const NOT_RECURSIVE = 'it is not a recursive resolver, or not for us: ask one that is';

function classify(question: Question, flags: QueryFlags, response: DecodedResponse, server: string, transport: 'udp' | 'tcp', durationMs: number): Lookup {
  const extendedErrors = response.edns?.errors ?? [];
  // Recursion asked for, a referral given: no answer, and no NODATA either (the name may have records below the cut).
  if (response.rcode === 'NOERROR' && flags.recursionDesired && isReferral(response)) {
    const zone = response.authorities.find((r) => r.type === 'NS')!.name;
    const servers = response.authorities.flatMap((r) => (r.type === 'NS' ? [r.data] : [])).join(', ');
    return failure(question, 'referral', `${describe(question)}: ${server} referred the question to the name servers of ${zone} (${servers}) instead of answering it: ${NOT_RECURSIVE}`,
      durationMs, server, { rcode: response.rcode, extendedErrors });
  }
  // Over UDP a TC reply was already asked again over TCP; over TCP there is nowhere left to ask.
  if (response.flags.tc) {
    return failure(question, 'truncated', `${describe(question)}: truncated reply (TC) from ${server} even over ${transport.toUpperCase()}: the answer is incomplete`,
      durationMs, server, { extendedErrors });
  }
  if (response.rcode === 'NOERROR' || response.rcode === 'NXDOMAIN') {
    const answer: LookupAnswer = {
      ok: true, question, rcode: response.rcode, answers: response.answers, authorities: response.authorities,
      additionals: response.additionals, flags: response.flags, extendedErrors, server, transport, durationMs,
    };
    return answer;
  }
  const ede = extendedErrors.map((e) => ` ${describeExtendedError(e)}`).join('');
  const notRecursive = response.rcode === 'REFUSED' && extendedErrors.some((e) => e.code === EDE_NOT_AUTHORITATIVE) ? `: ${NOT_RECURSIVE}` : '';
  return failure(question, RCODE_FAILURES[response.rcode] ?? 'rcode', `${describe(question)}: ${response.rcode} from ${server}${ede}${notRecursive}`,
    durationMs, server, { rcode: response.rcode, extendedErrors });
}

/**
 * A lookup the signal cut short (kind 'deadline'): not asked at all, or asked (of `server`, when
 * known) and not answered yet. Nothing more is waited for; the signal's reason says why.
 */
function cutShort(question: Question, signal: Cancellation, asked: boolean, durationMs: number, server?: string): LookupFailure {
  const reason = abortReason(signal);
  const message = asked ? `${describe(question)}: no answer${server === undefined ? '' : ` from ${server}`} yet when ${reason}`
    : `${describe(question)}: not asked: ${reason}`;
  return failure(question, 'deadline', message, durationMs, server);
}

/** One failure stands for all servers tried: the last one's kind, with every server's story in the message. */
function combine(failures: LookupFailure[], durationMs: number): LookupFailure {
  const last = failures[failures.length - 1]!;
  if (failures.length === 1) return { ...last, durationMs };
  return { ...last, message: failures.map((f) => f.message).join('; '), durationMs };
}
