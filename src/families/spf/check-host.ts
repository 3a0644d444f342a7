/**
 * check_host() of RFC 7208 §4: is this client address allowed to send mail for this domain? Every
 * DNS question goes through a LookupSource (the project's resolver); every step is written to a
 * trace, so the CLI can show which terms led to the result.
 */
import type { LookupSource } from '../../dns/lookup.js';
import type { KnownRecordType } from '../../dns/records.js';
import { txtToString } from '../../dns/records.js';
import { canonicalName, isSubdomainOf } from '../../dns/name.js';
import { followChain } from '../../facts/chain.js';
import type { ChainOutcome } from '../../facts/chain.js';
import { addressMatches, clientReverseName, dottedAddress, parseClientAddress, readableAddress } from './client-address.js';
import type { ClientAddress } from './client-address.js';
import { MAX_DNS_TERMS, MAX_EVALUATION_MS, MAX_MX_NAMES, MAX_PTR_NAMES, MAX_VOID_LOOKUPS } from './limits.js';
import { domainProblem, queryName } from '../../facts/spf/domain-name.js';
import { describeNoRecord, lookUpSpfRecord } from '../../facts/spf/lookup.js';
import { expandMacros, parseMacroString } from '../../facts/spf/macro.js';
import type { DomainSpec, MacroValues } from '../../facts/spf/macro.js';
import { describeSyntaxError, parseSpfRecord } from '../../facts/spf/record.js';
import type { Mechanism, Qualifier, SpfRecord } from '../../facts/spf/record.js';

export type SpfResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export interface CheckHostRequest {
  /** <ip>: the SMTP client's address, IPv4 or IPv6. */
  ip: string;
  /** <domain>: the domain whose policy is asked, the MAIL FROM domain or else the HELO name. */
  domain: string;
  /** <sender>: the MAIL FROM address, or postmaster@HELO; default postmaster@<domain>. */
  sender?: string;
  /** The HELO/EHLO name, for %{h}; default <domain>. */
  helo?: string;
  /** The receiving host's domain, for %{r} in explanations; default "unknown" (RFC 7208 §7.2). */
  receiver?: string;
  /** The time for %{t}; default now. */
  now?: Date;
}

/** One step of the evaluation, at the depth of include/redirect nesting where it happened (0: <domain>). */
export type TraceStep =
  | { step: 'record'; depth: number; domain: string; record: string }
  /** `matched` is null when the evaluation stopped at this term with an error. */
  | { step: 'term'; depth: number; domain: string; term: string; matched: boolean | null; detail: string }
  /** Nothing matched and the record has redirect=: evaluation goes on at `target` (null: the name cannot be asked). */
  | { step: 'redirect'; depth: number; domain: string; term: string; target: string | null }
  | { step: 'result'; depth: number; domain: string; result: SpfResult; reason: string };

/** A term of the evaluation: as written, and the domain whose record has it. */
export interface SpfTermRef {
  domain: string;
  term: string;
}

/** The processing limit of RFC 7208 §4.6.4 that ended the evaluation in permerror, at `term`. */
export type SpfLimitReached =
  /** `term` would have been the 11th DNS-querying term. */
  | SpfTermRef & { limit: 'lookups' }
  /** `term` made the third void lookup; `voids` are all three, in the order met. */
  | SpfTermRef & { limit: 'voidLookups'; voids: SpfTermRef[] }
  /** `term`, an mx mechanism, looks up `name`, which has `exchanges` MX records: more than 10. */
  | SpfTermRef & { limit: 'mxNames'; name: string; exchanges: number };

export interface SpfOutcome {
  result: SpfResult;
  /** One line: the term that decided, or what went wrong. */
  reason: string;
  /** Only for fail: the explanation of the record's exp=, or mxlint's own when it has none (RFC 7208 §6.2). */
  explanation?: { text: string; source: 'exp' | 'default' };
  /** DNS-querying terms evaluated (limit 10, RFC 7208 §4.6.4). */
  lookups: number;
  /** Lookups that found nothing (limit 2). */
  voidLookups: number;
  /** Only for a permerror at a processing limit: which, and where. */
  limit?: SpfLimitReached;
  trace: TraceStep[];
}

/** Ends the whole evaluation: errors propagate through include and redirect to the top (RFC 7208 §5.2). */
class SpfError extends Error {
  /** Set once a trace step names this error; the steps it unwinds through then just say the result. */
  shown = false;

  constructor(readonly result: 'permerror' | 'temperror', message: string, readonly limit?: SpfLimitReached) {
    super(message);
  }
}

/** What check_host() of one domain came to, short of an error. */
interface Verdict {
  result: 'pass' | 'fail' | 'softfail' | 'neutral' | 'none';
  reason: string;
  /** The domain whose record decided, and that record's exp= (RFC 7208 §6.2: never one from an include). */
  domain: string;
  exp: DomainSpec | null;
}

const QUALIFIER_RESULTS: Record<Qualifier, Verdict['result']> = { '+': 'pass', '-': 'fail', '~': 'softfail', '?': 'neutral' };

/** Splits <sender> into local-part and domain; an empty local-part becomes "postmaster" (RFC 7208 §4.3). */
function senderParts(sender: string): { sender: string; localPart: string; senderDomain: string } {
  const at = sender.lastIndexOf('@');
  const localPart = at > 0 ? sender.slice(0, at) : 'postmaster';
  const senderDomain = at === -1 ? sender : sender.slice(at + 1);
  return { sender: `${localPart}@${senderDomain}`, localPart, senderDomain };
}

interface Identity {
  sender: string;
  localPart: string;
  senderDomain: string;
  helo: string;
  receiver: string;
  timestamp: number;
}

class Evaluation {
  private lookups = 0;
  private readonly voids: SpfTermRef[] = [];
  readonly trace: TraceStep[] = [];
  private readonly started = performance.now();
  private validated: Promise<{ names: string[]; void: boolean }> | undefined;
  private clientValues: Pick<MacroValues, 'ip' | 'readableIp' | 'ipVersion'> | undefined;

  constructor(private readonly source: LookupSource, private readonly client: ClientAddress, private readonly identity: Identity) {}

  async run(domain: string, withExplanation: boolean): Promise<SpfOutcome> {
    const counts = (limit?: SpfLimitReached): Pick<SpfOutcome, 'lookups' | 'voidLookups' | 'limit' | 'trace'> =>
      ({ lookups: this.lookups, voidLookups: this.voids.length, ...(limit ? { limit } : {}), trace: this.trace });
    try {
      const verdict = await this.checkHost(domain, 0);
      const explanation = verdict.result === 'fail' && withExplanation ? { explanation: await this.explain(verdict) } : {};
      return { result: verdict.result, reason: verdict.reason, ...explanation, ...counts() };
    } catch (error) {
      if (!(error instanceof SpfError)) throw error;
      this.trace.push({ step: 'result', depth: 0, domain, result: error.result, reason: error.message });
      return { result: error.result, reason: error.message, ...counts(error.limit) };
    }
  }

  private async checkHost(given: string, depth: number): Promise<Verdict> {
    const problem = domainProblem(given);
    if (problem !== null) return this.concluded(depth, { result: 'none', reason: problem, domain: given, exp: null });
    const domain = canonicalName(given);
    this.checkTime();
    const lookup = await lookUpSpfRecord(this.source, domain);
    switch (lookup.state) {
      case 'failed':
        throw new SpfError('temperror', lookup.failure.message);
      case 'none':
        return this.concluded(depth, { result: 'none', reason: `no SPF record: ${describeNoRecord(lookup)}`, domain, exp: null });
      case 'multiple':
        throw new SpfError('permerror', `${domain} has ${lookup.texts.length} SPF records; exactly one is allowed (RFC 7208 §4.5)`);
      case 'found':
        break;
    }
    this.trace.push({ step: 'record', depth, domain, record: lookup.text });
    const parsed = parseSpfRecord(lookup.raw);
    if (!parsed.ok) throw new SpfError('permerror', `syntax error in the SPF record of ${domain}: ${describeSyntaxError(parsed)}`);
    return this.evaluate(parsed.record, domain, depth);
  }

  private concluded(depth: number, verdict: Verdict): Verdict {
    this.trace.push({ step: 'result', depth, domain: verdict.domain, result: verdict.result, reason: verdict.reason });
    return verdict;
  }

  /** RFC 7208 §4.6.2: mechanisms in order, the first match decides; then redirect=; else neutral. */
  private async evaluate(record: SpfRecord, domain: string, depth: number): Promise<Verdict> {
    for (const mechanism of record.mechanisms) {
      const step = { step: 'term' as const, depth, domain, term: mechanism.text, matched: null as boolean | null, detail: '' };
      this.trace.push(step);
      const { matched, detail } = await this.match(mechanism, domain, depth).catch((error: unknown) => {
        if (error instanceof SpfError) {
          step.detail = error.shown ? error.result : `${error.result}: ${error.message}`;
          error.shown = true;
        }
        throw error;
      });
      Object.assign(step, { matched, detail });
      if (matched) {
        const result = QUALIFIER_RESULTS[mechanism.qualifier];
        return this.concluded(depth, { result, reason: `"${mechanism.text}" in the SPF record of ${domain} matched`, domain, exp: record.exp?.domain ?? null });
      }
    }
    // An "all" always matches, so a redirect is only reached in a record without one (RFC 7208 §5.1).
    if (record.redirect) {
      this.countDnsTerm({ domain, term: record.redirect.text });
      const target = await this.targetName(record.redirect.domain, domain);
      this.trace.push({ step: 'redirect', depth, domain, term: record.redirect.text, target });
      const verdict = target === null ? null : await this.checkHost(target, depth + 1);
      if (verdict === null || verdict.result === 'none') {
        throw new SpfError('permerror', `"${record.redirect.text}" in the SPF record of ${domain}: ${verdict?.reason ?? 'the expanded name cannot be looked up'} (RFC 7208 §6.1)`);
      }
      return verdict;
    }
    return this.concluded(depth, { result: 'neutral', reason: `no mechanism in the SPF record of ${domain} matched, and it has no redirect= (default neutral)`, domain, exp: null });
  }

  private async match(mechanism: Mechanism, domain: string, depth: number): Promise<{ matched: boolean; detail: string }> {
    const ref: SpfTermRef = { domain, term: mechanism.text };
    switch (mechanism.kind) {
      case 'all':
        return { matched: true, detail: 'always matches' };
      case 'ip4':
      case 'ip6': {
        const family = mechanism.kind === 'ip4' ? 4 : 6;
        if (this.client.family !== family) return { matched: false, detail: `the client address is IPv${this.client.family}` };
        return { matched: addressMatches(this.client, mechanism.network, mechanism.prefix), detail: '' };
      }
      case 'a':
      case 'mx': {
        this.countDnsTerm(ref);
        const name = await this.targetName(mechanism.domain, domain);
        if (name === null) return unqueryable();
        const prefix = this.client.family === 4 ? mechanism.ip4Prefix : mechanism.ip6Prefix;
        const hosts = mechanism.kind === 'a' ? [name] : await this.exchanges(name, ref);
        if (hosts.length === 0) return { matched: false, detail: `${name} has no MX records` };
        const addresses = await Promise.all(hosts.map((host) => this.addressesOf(host, mechanism.kind === 'a' ? ref : null)));
        const found = hosts.flatMap((host, i) => addresses[i]!.map((address) => `${host} ${address}`));
        const matched = hosts.some((_, i) => addresses[i]!.some((address) => addressMatches(this.client, address, prefix)));
        return { matched, detail: found.length > 0 ? found.join(', ') : `no ${this.addressType()} record at ${hosts.join(', ')}` };
      }
      case 'ptr': {
        this.countDnsTerm(ref);
        const target = await this.targetName(mechanism.domain, domain);
        if (target === null) return unqueryable();
        const { names, void: empty } = await this.validatedNames();
        if (empty) this.countVoid(ref);
        const matched = names.some((name) => isSubdomainOf(name, target));
        return { matched, detail: names.length > 0 ? `validated names: ${names.join(', ')}` : 'no validated name for the client address' };
      }
      case 'exists': {
        this.countDnsTerm(ref);
        const name = await this.targetName(mechanism.domain, domain);
        if (name === null) return unqueryable();
        // RFC 7208 §5.7: the A type, whatever the client's family.
        const outcome = await this.lookup(name, 'A');
        if (outcome.state === 'failed') throw new SpfError('temperror', outcome.failure.message);
        if (outcome.state === 'found') return { matched: true, detail: `${name} has an A record` };
        this.countVoid(ref);
        return { matched: false, detail: `${name} has no A record` };
      }
      case 'include': {
        this.countDnsTerm(ref);
        const name = await this.targetName(mechanism.domain, domain);
        const verdict = name === null ? null : await this.checkHost(name, depth + 1);
        // RFC 7208 §5.2: "none" from an include is permerror; pass matches; fail, softfail and neutral do not.
        if (verdict === null || verdict.result === 'none') {
          throw new SpfError('permerror', `"${mechanism.text}" in the SPF record of ${domain}: ${verdict?.reason ?? 'the expanded name cannot be looked up'} (RFC 7208 §5.2)`);
        }
        return { matched: verdict.result === 'pass', detail: `${name}: ${verdict.result}` };
      }
    }
  }

  private addressType(): 'A' | 'AAAA' {
    return this.client.family === 4 ? 'A' : 'AAAA';
  }

  /** The exchanges of an "mx" mechanism: at most 10 MX records, else permerror (RFC 7208 §4.6.4); the null MX "." has none. */
  private async exchanges(name: string, ref: SpfTermRef): Promise<string[]> {
    const outcome = await this.lookup(name, 'MX');
    if (outcome.state === 'failed') throw new SpfError('temperror', outcome.failure.message);
    if (outcome.state !== 'found') {
      this.countVoid(ref);
      return [];
    }
    const exchanges = outcome.records.length;
    if (exchanges > MAX_MX_NAMES) {
      throw new SpfError('permerror', `"${ref.term}": ${name} has ${exchanges} MX records; at most ${MAX_MX_NAMES} may be looked up (RFC 7208 §4.6.4)`,
        { limit: 'mxNames', ...ref, name, exchanges });
    }
    return outcome.records.map((record) => record.data.exchange).filter((exchange) => exchange !== '.');
  }

  /** The addresses of the client's family at `host`; `voidTerm` is the term a void answer counts against (the "a" mechanism's). */
  private async addressesOf(host: string, voidTerm: SpfTermRef | null): Promise<string[]> {
    const outcome = await this.lookup(host, this.addressType());
    if (outcome.state === 'failed') throw new SpfError('temperror', outcome.failure.message);
    if (outcome.state === 'found') return outcome.records.map((record) => record.data);
    if (voidTerm !== null) this.countVoid(voidTerm);
    return [];
  }

  /**
   * RFC 7208 §5.5: the PTR names of the client (at most 10) whose own addresses include it. A failed
   * PTR lookup gives none (no match); a name whose address lookup fails is skipped.
   */
  private validatedNames(): Promise<{ names: string[]; void: boolean }> {
    this.validated ??= (async () => {
      const ptr = await this.lookup(clientReverseName(this.client), 'PTR');
      if (ptr.state !== 'found') return { names: [], void: ptr.state !== 'failed' };
      const names = ptr.records.slice(0, MAX_PTR_NAMES).map((record) => record.data);
      const fullLength = this.client.family === 4 ? 32 : 128;
      const valid = await Promise.all(names.map(async (name) => {
        const outcome = await this.lookup(name, this.addressType());
        return outcome.state === 'found' && outcome.records.some((record) => addressMatches(this.client, record.data, fullLength));
      }));
      return { names: names.filter((_, i) => valid[i]), void: false };
    })();
    return this.validated;
  }

  private async lookup<T extends KnownRecordType>(name: string, type: T): Promise<ChainOutcome<T>> {
    this.checkTime();
    return followChain(this.source, name, type);
  }

  private checkTime(): void {
    if (performance.now() - this.started > MAX_EVALUATION_MS) {
      throw new SpfError('temperror', `the evaluation took longer than ${MAX_EVALUATION_MS / 1000} s (RFC 7208 §4.6.4)`);
    }
  }

  private countDnsTerm(ref: SpfTermRef): void {
    this.lookups++;
    if (this.lookups > MAX_DNS_TERMS) {
      throw new SpfError('permerror', `"${ref.term}" would be DNS-querying term number ${this.lookups}; at most ${MAX_DNS_TERMS} are allowed (include, a, mx, ptr, exists, redirect; RFC 7208 §4.6.4)`,
        { limit: 'lookups', ...ref });
    }
  }

  private countVoid(ref: SpfTermRef): void {
    this.voids.push(ref);
    if (this.voids.length > MAX_VOID_LOOKUPS) {
      throw new SpfError('permerror', `"${ref.term}" is void lookup number ${this.voids.length} (no records, or NXDOMAIN); at most ${MAX_VOID_LOOKUPS} are allowed (RFC 7208 §4.6.4)`,
        { limit: 'voidLookups', ...ref, voids: [...this.voids] });
    }
  }

  /** A mechanism's domain-spec, expanded for the record of `domain`; no domain-spec means `domain` itself. */
  private async targetName(spec: DomainSpec | null, domain: string): Promise<string | null> {
    if (spec === null) return domain;
    return queryName(await expandMacros(spec.tokens, this.macroValues(domain)));
  }

  private macroValues(domain: string): MacroValues {
    // Once per evaluation, not once per domain-spec expanded: an IPv6 client's texts take some work.
    this.clientValues ??= {
      ip: dottedAddress(this.client),
      readableIp: readableAddress(this.client),
      ipVersion: this.client.family === 4 ? 'in-addr' : 'ip6',
    };
    return {
      ...this.identity,
      domain,
      ...this.clientValues,
      validatedName: async () => {
        // RFC 7208 §7.3: <domain> itself if validated, else a subdomain of it, else any validated name.
        const { names } = await this.validatedNames();
        return names.find((name) => name === domain) ?? names.find((name) => isSubdomainOf(name, domain)) ?? names[0] ?? 'unknown';
      },
    };
  }

  /**
   * RFC 7208 §6.2: the TXT record named by exp=, expanded. Any trouble — a name that cannot be asked,
   * a failed lookup, no record or several, a syntax error, octets outside ASCII — means "as if there
   * were no exp=": mxlint's own explanation.
   */
  private async explain(verdict: Verdict): Promise<{ text: string; source: 'exp' | 'default' }> {
    const fallback = {
      text: `${readableAddress(this.client)} is not allowed to send mail for ${verdict.domain} (its SPF record says so)`,
      source: 'default' as const,
    };
    if (verdict.exp === null) return fallback;
    try {
      const name = await this.targetName(verdict.exp, verdict.domain);
      if (name === null) return fallback;
      const txt = await this.lookup(name, 'TXT');
      if (txt.state !== 'found' || txt.records.length !== 1) return fallback;
      const parsed = parseMacroString(txtToString(txt.records[0]!.data, 'latin1'), 'explanation');
      if (!parsed.ok) return fallback;
      return { text: await expandMacros(parsed.tokens, this.macroValues(verdict.domain)), source: 'exp' };
    } catch (error) {
      if (error instanceof SpfError) return fallback;
      throw error;
    }
  }
}

function unqueryable(): { matched: false; detail: string } {
  return { matched: false, detail: 'the expanded name cannot be looked up (an empty or over-long label): no match' };
}

function evaluation(source: LookupSource, request: CheckHostRequest): Evaluation {
  const client = parseClientAddress(request.ip);
  if (client === null) throw new TypeError(`checkHost: "${request.ip}" is not an IP address`);
  const identity: Identity = {
    ...senderParts(request.sender ?? `postmaster@${request.domain}`),
    helo: request.helo ?? request.domain,
    receiver: request.receiver ?? 'unknown',
    timestamp: Math.floor((request.now ?? new Date()).getTime() / 1000),
  };
  return new Evaluation(source, client, identity);
}

/**
 * Evaluates the SPF policy of `request.domain` for `request.ip` (RFC 7208 check_host()). Never rejects
 * for DNS trouble: a failed lookup is temperror. Throws only for an `ip` that is not an address.
 */
export async function checkHost(source: LookupSource, request: CheckHostRequest): Promise<SpfOutcome> {
  return evaluation(source, request).run(request.domain, true);
}

/**
 * check_host() without the explanation: a fail has no `explanation`, and exp= is not looked up. For
 * evaluations nobody is refused by (the domain check's), where that lookup would only cost.
 */
export async function checkHostUnexplained(source: LookupSource, request: CheckHostRequest): Promise<SpfOutcome> {
  return evaluation(source, request).run(request.domain, false);
}
