/**
 * The hostile-DNS fuzz, shared by the bounded run in the test suite (test/e2e/hostile-dns-fuzz.test.ts)
 * and the long one (`npm run fuzz`): checkDomain, through the real resolver and transports, against
 * the in-process server on loopback, which answers each (name, type) of each case either correctly
 * or with one seeded fault — garbage, cut messages, lying counts, pointer loops, overlong names, bad
 * RDLENGTHs, huge answers, CNAME loops, spoofed ids and ports, TC then a reset or a trickle, silence.
 *
 * The oracle, per case: checkDomain resolves (no exception, no unhandled rejection) within a budget;
 * when a lookup it made got nothing but broken replies, the verdict is unknown or fail — never pass or
 * warn — and no MX is claimed from a broken MX lookup; when every reply it got carried the correct
 * data (faults it must survive included), the verdict and findings are those of a fault-free run.
 *
 * Cases run with a short client timeout, so that silence and trickles cost little. On a loaded machine
 * a correct reply can take longer than that to be served and read (server and client share one event
 * loop), so a case held to the fault-free verdict that differs only by lookups that timed out is
 * checked once more, at once and under the same load, with a timeout no loaded machine reaches: that
 * second verdict is the one judged. Any other difference is a violation straight away.
 */
import type { Packet } from 'dns-packet';
import dnsPacket from 'dns-packet';
import { checkDomain } from '../../src/modes/domains.js';
import { ServedData } from '../../src/dns/zone-data/served-data.js';
import { MAX_CNAME_CHAIN } from '../../src/facts/chain.js';
import type { DnsRecord } from '../../src/dns/records.js';
import type { CheckFamily } from '../../src/families/index.js';
import type { DomainResult } from '../../src/engine/result.js';
import type { Status } from '../../src/core/finding.js';
import { ANSWER } from '../../src/dns/local-server/behaviour.js';
import { startLocalDnsServer, type Behaviour, type LocalDnsServer, type IncomingQuery } from '../../src/dns/local-server/server.js';
import * as hostile from './hostile-answers.js';
import { seededRandom, type Random } from './random.js';
import { correctReply } from '../../src/dns/local-server/reply.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';

/** Every family that asks only DNS (the SMTP probe and DNSBL would reach out to the served addresses). */
const FUZZED_CHECKS: readonly CheckFamily[] = ['mx', 'spf', 'dmarc', 'mta-sts', 'tlsrpt', 'dnssec', 'dane'];

/**
 * What a fault leaves the client: `breaking` — no correct data can be had from the replies, so the
 * lookup must fail (or, for a CNAME loop, be judged an error); `survivable` — the correct data comes
 * too (after a spoofed reply, over TCP after TC, beside a huge junk TXT), so the verdict must not
 * change; `unchecked` — valid but odd data whose verdict is not predicted (only "ends, no crash").
 */
export type FaultClass = 'breaking' | 'survivable' | 'unchecked';

interface FaultContext {
  query: IncomingQuery;
  /** The correct reply, as the server would send it. */
  reply(): Packet;
  random: Random;
}

interface Fault {
  name: string;
  class: FaultClass;
  behave(context: FaultContext): Behaviour;
}

/** The most copies of an answer record sent at once; with ANCOUNT claiming CLAIMED_ANSWERS. */
const COPIED_ANSWERS = 1000;
const CLAIMED_ANSWERS = 10_000;
/** Under the 65,507 octets of a UDP payload over IPv4, with room to spare. */
const MAX_DATAGRAM_OCTETS = 60_000;
/** 240 strings of 255 octets: a 61 KiB TXT record, as big as fits a TCP message beside the rest of the reply. */
const HUGE_TXT_STRINGS = 240;
const TXT_STRING_OCTETS = 255;
/** Deeper than mxlint follows: the chain cannot be followed to its end. */
const DEEP_CNAME_CHAIN = MAX_CNAME_CHAIN + 4;

function raw(bytes: Buffer): Behaviour {
  return { kind: 'raw', bytes };
}

function encoded(context: FaultContext, edit?: (reply: Packet) => void): Buffer {
  const reply = context.reply();
  edit?.(reply);
  return dnsPacket.encode(reply);
}

/** Over UDP: TC, so the client asks again over TCP, where `overTcp` happens. */
function afterTruncation(overTcp: Behaviour): (context: FaultContext) => Behaviour {
  return ({ query }) => (query.transport === 'udp' ? { kind: 'truncate' } : overTcp);
}

/** An edit that repeats the reply's first answer record `copies` times (a reply without answers stays so). */
function copiedAnswers(copies: number): (reply: Packet) => void {
  return (reply) => {
    const first = reply.answers?.[0];
    if (first !== undefined) reply.answers = Array.from({ length: copies }, () => first);
  };
}

/** The correct reply with as many copies of its first answer as one UDP datagram holds (up to COPIED_ANSWERS). */
function manyAnswersInOneDatagram(context: FaultContext): Buffer {
  const all = encoded(context, copiedAnswers(COPIED_ANSWERS));
  if (all.length <= MAX_DATAGRAM_OCTETS) return all;
  return encoded(context, copiedAnswers(Math.floor(COPIED_ANSWERS * MAX_DATAGRAM_OCTETS / all.length)));
}

function cnameTo(reply: Packet, targets: string[]): void {
  const owner = reply.questions![0]!.name;
  const names = [owner, ...targets];
  reply.answers = targets.map((target, i) => ({ name: names[i]!, type: 'CNAME', class: 'IN', ttl: 300, data: target }));
}

/** The correct records in a packet with QR clear: a query, not a response (RFC 1035 §4.1.1). */
const NOT_A_RESPONSE: Behaviour = { kind: 'answer', edit: (reply) => { reply.type = 'query'; } };
/** The correct records under a question of class CH (RFC 5452 §9.1: the class must be the query's). */
const QUESTION_CLASS_CH: Behaviour = { kind: 'answer', edit: (reply) => { reply.questions = (reply.questions ?? []).map((q) => ({ ...q, class: 'CH' })); } };

const FAULTS: readonly Fault[] = [
  // Garbage and broken messages: the client must give up on the reply (malformed, or ignored until timeout).
  { name: 'random-octets', class: 'breaking', behave: ({ random }) => raw(hostile.randomOctets(1 + Math.floor(random() * 600), Math.floor(random() * 2 ** 31))) },
  { name: 'cut-short', class: 'breaking', behave: (c) => { const message = encoded(c); return raw(hostile.cutShort(message, Math.floor(c.random() * message.length))); } },
  { name: 'counts-lie', class: 'breaking', behave: ({ query }) => raw(hostile.countsThatLie(query)) },
  { name: 'claims-10000-answers', class: 'breaking', behave: (c) => raw(hostile.withAnswerCount(manyAnswersInOneDatagram(c), CLAIMED_ANSWERS)) },
  { name: 'compression-loop', class: 'breaking', behave: ({ query }) => raw(hostile.compressionLoop(query)) },
  { name: 'forward-pointer', class: 'breaking', behave: ({ query }) => raw(hostile.forwardPointer(query)) },
  { name: 'overlong-name', class: 'breaking', behave: ({ query }) => raw(hostile.overlongName(query)) },
  { name: 'rdlength-short', class: 'breaking', behave: ({ query }) => raw(hostile.mxRdlengthTooShort(query)) },
  { name: 'rdlength-long', class: 'breaking', behave: ({ query }) => raw(hostile.mxRdlengthTooLong(query)) },
  { name: 'mx-preference-only', class: 'breaking', behave: ({ query }) => raw(hostile.mxPreferenceOnly(query)) },
  { name: 'class-ch', class: 'breaking', behave: ({ query }) => raw(hostile.chaosClass(query)) },
  // Errors and nothing.
  { name: 'servfail', class: 'breaking', behave: () => ({ kind: 'rcode', rcode: 'SERVFAIL' }) },
  { name: 'refused', class: 'breaking', behave: () => ({ kind: 'rcode', rcode: 'REFUSED' }) },
  { name: 'silence', class: 'breaking', behave: () => ({ kind: 'silence' }) },
  // Replies that do not belong to the query, alone: the client must ignore them and time out.
  { name: 'wrong-id', class: 'breaking', behave: () => ({ kind: 'wrong-id' }) },
  { name: 'wrong-question', class: 'breaking', behave: () => ({ kind: 'wrong-question' }) },
  { name: 'other-port', class: 'breaking', behave: ({ query }) => (query.transport === 'udp' ? { kind: 'from-other-port', then: ANSWER } : { kind: 'silence' }) },
  { name: 'not-a-response', class: 'breaking', behave: () => NOT_A_RESPONSE },
  { name: 'question-class-ch', class: 'breaking', behave: () => QUESTION_CLASS_CH },
  // TCP after TC that goes wrong.
  { name: 'tc-then-reset', class: 'breaking', behave: afterTruncation({ kind: 'tcp-reset' }) },
  { name: 'tc-then-close', class: 'breaking', behave: afterTruncation({ kind: 'tcp-close' }) },
  { name: 'tc-even-over-tcp', class: 'breaking', behave: () => ({ kind: 'truncate' }) },
  { name: 'tc-then-1-byte-per-second', class: 'breaking', behave: afterTruncation({ kind: 'tcp-trickle', bytesPerSecond: 1 }) },
  // Aliases that lead nowhere.
  {
    name: 'cname-chain-too-deep', class: 'breaking',
    behave: () => ({ kind: 'answer', edit: (reply) => cnameTo(reply, Array.from({ length: DEEP_CNAME_CHAIN }, (_, i) => `alias${i}.${reply.questions![0]!.name}`)) }),
  },
  // Faults the client must get through to the correct data.
  { name: 'wrong-id-then-answer', class: 'survivable', behave: () => ({ kind: 'sequence', steps: [{ kind: 'wrong-id' }, ANSWER] }) },
  { name: 'wrong-question-then-answer', class: 'survivable', behave: () => ({ kind: 'sequence', steps: [{ kind: 'wrong-question' }, ANSWER] }) },
  { name: 'not-a-response-then-answer', class: 'survivable', behave: () => ({ kind: 'sequence', steps: [NOT_A_RESPONSE, QUESTION_CLASS_CH, ANSWER] }) },
  {
    name: 'spoofed-then-answer', class: 'survivable',
    behave: ({ query }) => (query.transport === 'udp'
      ? { kind: 'sequence', steps: [{ kind: 'from-other-port', then: { kind: 'answer', edit: (reply) => { reply.answers = []; } } }, ANSWER] }
      : ANSWER),
  },
  { name: 'tc-then-tcp-answer', class: 'survivable', behave: afterTruncation(ANSWER) },
  { name: 'late-within-timeout', class: 'survivable', behave: () => ({ kind: 'delay', ms: 20, then: ANSWER }) },
  {
    // Not an SPF, DMARC, TLS-RPT or MTA-STS record: each family must skip it and read the real one.
    name: 'huge-junk-txt', class: 'survivable',
    behave: ({ query }) => (query.type !== 'TXT' ? ANSWER : {
      kind: 'answer',
      edit: (reply) => {
        const junk = Array.from({ length: HUGE_TXT_STRINGS }, () => 'x'.repeat(TXT_STRING_OCTETS));
        reply.answers = [...(reply.answers ?? []), { name: reply.questions![0]!.name, type: 'TXT', class: 'IN', ttl: 300, data: junk }];
      },
    }),
  },
  // Valid or half-valid data whose verdict is not predicted here. A CNAME loop is certain: an MX or
  // TLSA there is an error or unknown, a policy TXT record there is absent (no receiver can read it).
  { name: 'cname-loop', class: 'unchecked', behave: () => ({ kind: 'answer', edit: (reply) => cnameTo(reply, [reply.questions![0]!.name]) }) },
  { name: 'random-after-question', class: 'unchecked', behave: ({ query, random }) => raw(hostile.randomAfterQuestion(query, 1 + Math.floor(random() * 300), Math.floor(random() * 2 ** 31))) },
  { name: '1000-answers', class: 'unchecked', behave: () => ({ kind: 'answer', edit: copiedAnswers(COPIED_ANSWERS) }) },
];

export const FAULT_NAMES: readonly string[] = FAULTS.map((fault) => fault.name);
const SURVIVABLE = FAULTS.filter((fault) => fault.class === 'survivable');

/** Share of (name, type) pairs of a case that get a fault. */
const FAULTY_SHARE = 0.35;
/** Share of cases whose faults are all survivable, so that the "verdict unchanged" oracle is tried often. */
const SURVIVABLE_CASES = 0.25;
const ZONE = 'fuzz.test';
/** Cases served by one server; names repeat from one batch to the next, each batch on a fresh server. */
const BATCH_CASES = 500;

/** FNV-1a: a seed for each (run seed, case, name, type), so a case replays alone, whatever ran beside it. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The fault for one (name, type) of one case, or null for the correct answer. `relativeName` is the
 * name with the case's domain cut to "@" ("_dmarc.@"), so a case replays alike in any slot.
 */
function faultFor(seed: number, caseIndex: number, relativeName: string, type: string): Fault | null {
  const survivableOnly = seededRandom(hash(`${seed}|${caseIndex}`))() < SURVIVABLE_CASES;
  const random = seededRandom(hash(`${seed}|${caseIndex}|${relativeName}|${type}`));
  if (random() >= FAULTY_SHARE) return null;
  const choices = survivableOnly ? SURVIVABLE : FAULTS;
  return choices[Math.floor(random() * choices.length)]!;
}

function caseDomain(slot: number): string {
  return `c${slot}.${ZONE}`;
}

/** A healthy mail domain per slot: two exchanges with public-looking addresses (never contacted) and TLSA, SPF with an include, DMARC, TLS-RPT, no MTA-STS. */
function batchRecords(slots: number): DnsRecord[] {
  const lines = [
    `$ORIGIN ${ZONE}.`, '$TTL 300',
    '@ SOA ns1 hostmaster 1 3600 600 86400 300', '@ NS ns1', 'ns1 A 192.0.2.53',
  ];
  for (let slot = 0; slot < slots; slot++) {
    const d = `c${slot}`;
    lines.push(
      `${d} MX 10 mx1.${d}`, `${d} MX 20 mx2.${d}`,
      `${d} TXT "v=spf1 mx include:_spf.${d}.${ZONE} -all"`, `_spf.${d} TXT "v=spf1 ip4:185.16.0.0/24 -all"`,
      `_dmarc.${d} TXT "v=DMARC1; p=reject; rua=mailto:dmarc@${d}.${ZONE}"`,
      `_smtp._tls.${d} TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${d}.${ZONE}"`,
    );
    for (const host of ['mx1', 'mx2']) {
      lines.push(`${host}.${d} A 185.16.0.25`, `${host}.${d} AAAA 2a01:4f8::25`, `_25._tcp.${host}.${d} TLSA 3 1 1 ${'ab'.repeat(32)}`);
    }
  }
  return [...zoneRecords(lines.join('\n'), 'fuzz.zone'), ...zoneRecords(TOP_LEVEL_ZONE, 'test.zone')];
}

/** The zone above the fuzz zone, where the DMARC tree walk ends (RFC 9989 §4.10): it answers, with no record. */
const TOP_LEVEL_ZONE = ['$ORIGIN test.', '$TTL 300', '@ SOA ns1.fuzz.test. hostmaster.fuzz.test. 1 3600 600 86400 300', '@ NS ns1.fuzz.test.'].join('\n');

function zoneRecords(text: string, file: string): DnsRecord[] {
  const zone = readZoneText(text, { file });
  if (zone.problems.length > 0) throw new Error(`${file} does not read: ${zone.problems[0]!.message}`);
  return zone.records;
}

const CASE_NAME = /(^|\.)c(\d+)\.fuzz\.test$/;

/** The slot a query belongs to, and its name relative to the slot's domain; null outside every slot. */
function slotOf(name: string): { slot: number; relativeName: string } | null {
  const match = CASE_NAME.exec(name);
  return match ? { slot: Number(match[2]), relativeName: name.replace(CASE_NAME, '$1@') } : null;
}

const RCODE_BITS = 0xf;

/** AD on every NOERROR answer to a DO query: the server plays a validating resolver for which all is secure. */
function validated(reply: Packet, query: IncomingQuery): Packet {
  if (query.flags.do && ((reply.flags ?? 0) & RCODE_BITS) === 0) reply.flags = (reply.flags ?? 0) | dnsPacket.AUTHENTIC_DATA;
  return reply;
}

export interface HostileDnsOptions {
  seed: number;
  /** Case indexes run: [first, first + cases). */
  first?: number;
  cases: number;
  /** A loopback address of the caller's block. */
  host: string;
  /** Cases checked at once. */
  concurrency?: number;
  /** The most one case may take before it counts as hung. */
  caseBudgetMs?: number;
  /** Stop after the batch in which this many hostile answers have been served (default: run every case). */
  stopAfterHostileAnswers?: number;
  /** Called after each batch of cases. */
  progress?: (totals: HostileDnsTotals) => void;
}

export interface Violation {
  seed: number;
  caseIndex: number;
  domain: string;
  /** The faults served, as "name TYPE: fault". */
  faults: string[];
  problem: string;
}

export interface HostileDnsTotals {
  cases: number;
  /** Replies sent that were not the plain correct one. */
  hostileAnswers: number;
  queries: number;
  byFault: Record<string, number>;
  statuses: Record<Status, number>;
  /** Cases whose every reply was correct or a survivable fault, held to the fault-free verdict. */
  comparedToBaseline: number;
  /** Cases with a lookup that got only broken replies, held to "not pass, not warn". */
  heldToFailure: number;
  /** Cases compared to the fault-free verdict that differed only by timed-out lookups, and were checked again with PATIENT_CLIENT. */
  checkedAgainPatiently: number;
  violations: Violation[];
  /** What went wrong in the fault scripts themselves (the server answered SERVFAIL instead): the run tested less than it says. */
  harnessErrors: string[];
  peakRssMb: number;
}

/** Client settings: short timeouts and one retry, so silence and trickles cost little. */
const CLIENT = { timeoutMs: 250, retries: 1 } as const;
/**
 * For a verdict that must not depend on the timeout: the fault-free baseline, and a second look at a
 * case whose only difference from it is lookups that timed out (20 times CLIENT's timeout: under load a
 * correct reply has been seen to take over a second, never near this).
 */
const PATIENT_CLIENT = { timeoutMs: 5000, retries: 1 } as const;
/** How a lookup that timed out reads in a finding: "… no reply from 127.0.10.1:5353 after 2 attempts of 250 ms". */
const TIMED_OUT = /\bno reply from \S+ after \d+ attempts? of \d+ ms\b/;
const DEFAULT_CASE_BUDGET_MS = 60_000;
const DEFAULT_CONCURRENCY = 48;

/** "dmarc-…@mx1.cN.fuzz.test": a finding as the oracle compares it, without names that differ between slots. */
function findingKey(finding: DomainResult['findings'][number]): string {
  return `${finding.rule}${finding.target === undefined ? '' : `@${finding.target.replace(/\bc\d+\./, 'cN.')}`}`;
}

/** "pass mx-single dmarc-…": what the oracle compares, without names that differ between slots. */
function verdict(result: DomainResult): string {
  return [result.status, ...result.findings.map(findingKey).sort()].join(' ');
}

/** Whether every finding that the fault-free verdict lacks is about a lookup that timed out (and at least one is). */
function differsOnlyByTimeouts(result: DomainResult, baseline: string): boolean {
  const expected = new Set(baseline.split(' ').slice(1));
  const extra = result.findings.filter((finding) => !expected.has(findingKey(finding)));
  return extra.length > 0 && extra.every((finding) => TIMED_OUT.test(finding.message));
}

class Budget {
  private timer: NodeJS.Timeout | undefined;
  expired(ms: number): Promise<'expired'> {
    return new Promise((resolve) => { this.timer = setTimeout(() => resolve('expired'), ms); });
  }
  clear(): void {
    clearTimeout(this.timer);
  }
}

interface CaseRecord {
  index: number;
  /** Per "name TYPE": the fault served (null: the correct answer), set when first asked. */
  asked: Map<string, Fault | null>;
}

/**
 * Runs cases [first, first + cases) and returns what was tried and every oracle violation. Never
 * throws for a case; throws only when the harness itself cannot start.
 */
export async function fuzzHostileDns(options: HostileDnsOptions): Promise<HostileDnsTotals> {
  const { seed, host } = options;
  const first = options.first ?? 0;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const budgetMs = options.caseBudgetMs ?? DEFAULT_CASE_BUDGET_MS;
  const totals: HostileDnsTotals = {
    cases: 0, hostileAnswers: 0, queries: 0, byFault: {}, statuses: { pass: 0, warn: 0, unknown: 0, fail: 0 },
    comparedToBaseline: 0, heldToFailure: 0, checkedAgainPatiently: 0, violations: [], harnessErrors: [], peakRssMb: 0,
  };
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  process.on('unhandledRejection', onUnhandled);
  try {
    const baseline = await runBaseline(host);
    for (let start = first; start < first + options.cases; start += BATCH_CASES) {
      const count = Math.min(BATCH_CASES, first + options.cases - start);
      await runBatch({ seed, host, start, count, concurrency, budgetMs, baseline, totals });
      if (unhandled.length > 0) {
        const reasons = unhandled.splice(0).map((r) => (r instanceof Error ? r.stack ?? r.message : String(r)));
        totals.violations.push({ seed, caseIndex: start, domain: '', faults: [], problem: `unhandled rejection during cases ${start}–${start + count - 1}: ${reasons.join('; ')}` });
      }
      totals.peakRssMb = Math.max(totals.peakRssMb, process.memoryUsage().rss / 2 ** 20);
      options.progress?.(totals);
      if (totals.hostileAnswers >= (options.stopAfterHostileAnswers ?? Infinity)) break;
    }
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  return totals;
}

/** The served fuzz world for `slots` cases, each query answered correctly or with the fault `choose` gives it. */
async function startFaultyServer(host: string, slots: number, choose: (query: IncomingQuery) => { fault: Fault; random: Random } | null): Promise<LocalDnsServer> {
  const records = batchRecords(slots);
  const served = new ServedData(records);
  return startLocalDnsServer({
    records, host,
    behave: (query) => {
      const chosen = choose(query);
      if (chosen === null) return { kind: 'answer', edit: (reply) => validated(reply, query) };
      const reply = (): Packet => validated(correctReply(served, query), query);
      return withValidation(chosen.fault.behave({ query, reply, random: chosen.random }), query);
    },
  });
}

function checkSlot(server: LocalDnsServer, slot: number, client: { timeoutMs: number; retries: number } = CLIENT): Promise<DomainResult> {
  return checkDomain(caseDomain(slot), { servers: [server.address], checks: [...FUZZED_CHECKS], ...client });
}

/** The verdict of a healthy slot with no fault at all. */
async function runBaseline(host: string): Promise<string> {
  const server = await startFaultyServer(host, 1, () => null);
  try {
    const result = await checkSlot(server, 0, PATIENT_CLIENT);
    if (result.status !== 'pass') throw new Error(`the fault-free fuzz domain does not pass: ${verdict(result)}`);
    return verdict(result);
  } finally {
    await server.close();
  }
}

/**
 * The healthy fuzz domain (c0.fuzz.test) checked with one fault on one (name, type) — for replaying
 * a violation and for regression tests. `name` is relative to the domain ("_dmarc", "@", "mx1").
 * With PATIENT_CLIENT: the verdict asserted must not hang on how fast a loaded machine answers.
 */
export async function checkWithFault(host: string, faulty: { name: string; type: string; fault: string; seed?: number }): Promise<DomainResult> {
  const fault = FAULTS.find((f) => f.name === faulty.fault);
  if (fault === undefined) throw new Error(`no fault "${faulty.fault}"; there are ${FAULT_NAMES.join(', ')}`);
  const name = faulty.name === '@' ? caseDomain(0) : `${faulty.name}.${caseDomain(0)}`;
  const server = await startFaultyServer(host, 1, (query) => (query.name === name && query.type === faulty.type
    ? { fault, random: seededRandom(hash(`${faulty.seed ?? 0}|${query.attempt}|${query.transport}`)) }
    : null));
  try {
    return await checkSlot(server, 0, PATIENT_CLIENT);
  } finally {
    await server.close();
  }
}

interface BatchRun {
  seed: number;
  host: string;
  start: number;
  count: number;
  concurrency: number;
  budgetMs: number;
  baseline: string;
  totals: HostileDnsTotals;
}

async function runBatch(run: BatchRun): Promise<void> {
  const { seed, start, count, totals } = run;
  const cases = Array.from({ length: count }, (_, slot): CaseRecord => ({ index: start + slot, asked: new Map() }));
  const server = await startFaultyServer(run.host, count, (query) => {
    totals.queries++;
    const of = slotOf(query.name);
    if (of === null || of.slot >= count) return null;
    const record = cases[of.slot]!;
    const key = `${of.relativeName} ${query.type}`;
    if (!record.asked.has(key)) record.asked.set(key, faultFor(seed, record.index, of.relativeName, query.type));
    const fault = record.asked.get(key)!;
    if (fault === null) return null;
    totals.hostileAnswers++;
    totals.byFault[fault.name] = (totals.byFault[fault.name] ?? 0) + 1;
    return { fault, random: seededRandom(hash(`${seed}|${record.index}|${key}|${query.attempt}|${query.transport}`)) };
  });
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < count) {
        const record = cases[next++]!;
        await runCase(run, server, record);
      }
    };
    await Promise.all(Array.from({ length: Math.min(run.concurrency, count) }, worker));
    totals.harnessErrors.push(...server.errors.map((error) => `cases ${start}–${start + count - 1}: ${error.message}`));
  } finally {
    await server.close();
  }
}

/** Correct answers inside a fault (after a spoofed reply, over TCP) carry AD like every other. */
function withValidation(behaviour: Behaviour, query: IncomingQuery): Behaviour {
  switch (behaviour.kind) {
    case 'answer': {
      const edit = behaviour.edit;
      return { kind: 'answer', edit: (reply, q) => { edit?.(reply, q); validated(reply, query); } };
    }
    case 'sequence':
      return { kind: 'sequence', steps: behaviour.steps.map((step) => withValidation(step, query)) };
    case 'delay':
    case 'from-other-port':
      return { ...behaviour, then: withValidation(behaviour.then, query) };
    case 'tcp-trickle':
      return { ...behaviour, then: withValidation(behaviour.then ?? ANSWER, query) };
    default:
      return behaviour;
  }
}

async function runCase(run: BatchRun, server: LocalDnsServer, record: CaseRecord): Promise<void> {
  const { totals, seed } = run;
  const slot = record.index - run.start;
  const domain = caseDomain(slot);
  const faults = (): string[] => [...record.asked].filter(([, fault]) => fault !== null).map(([key, fault]) => `${key}: ${fault!.name}`);
  const violation = (problem: string): void => { totals.violations.push({ seed, caseIndex: record.index, domain, faults: faults(), problem }); };
  totals.cases++;
  /** The case checked once with these client settings; null after a violation (an exception, no end within the budget). */
  const check = async (client: { timeoutMs: number; retries: number }): Promise<DomainResult | null> => {
    const budget = new Budget();
    let outcome: DomainResult | 'expired';
    try {
      outcome = await Promise.race([
        checkSlot(server, slot, client),
        budget.expired(run.budgetMs),
      ]);
    } catch (error) {
      violation(`checkDomain threw: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      return null;
    } finally {
      budget.clear();
    }
    if (outcome === 'expired') {
      violation(`did not end within ${run.budgetMs} ms`);
      return null;
    }
    return outcome;
  };
  const comparable = (): boolean => [...record.asked.values()].every((fault) => fault === null || fault.class === 'survivable');
  let result = await check(CLIENT);
  if (result === null) return;
  if (comparable() && verdict(result) !== run.baseline && differsOnlyByTimeouts(result, run.baseline)) {
    // Correct data that came too late for the short timeout: slowness, not a wrong verdict. Whether it is
    // only that is for a second look with time to spare to tell; it asks the same faults again.
    totals.checkedAgainPatiently++;
    result = await check(PATIENT_CLIENT);
    if (result === null) return;
  }
  totals.statuses[result.status]++;
  const served = [...record.asked.values()];
  const broken = [...record.asked].filter(([, fault]) => fault?.class === 'breaking').map(([key]) => key);
  if (broken.length > 0) {
    totals.heldToFailure++;
    if (result.status === 'pass' || result.status === 'warn') {
      violation(`status ${result.status} although ${broken.join(', ')} got only broken replies: ${verdict(result)}`);
    }
    if (broken.includes('@ MX') && result.mx.length > 0) {
      violation(`MX records claimed from a broken MX lookup: ${result.mx.map((mx) => mx.exchange).join(', ')}`);
    }
  } else if (served.every((fault) => fault === null || fault.class === 'survivable')) {
    totals.comparedToBaseline++;
    const got = verdict(result);
    if (got !== run.baseline) violation(`verdict ${got}, fault-free verdict ${run.baseline}`);
  }
}

/** The faults of one case, by name and type, as a replay aid: which (name, type) got which fault. */
export function describeViolation(violation: Violation): string {
  return `seed ${violation.seed} case ${violation.caseIndex} (${violation.domain}): ${violation.problem}\n    faults: ${violation.faults.join('; ') || 'none'}`;
}
