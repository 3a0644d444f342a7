import { isSubdomainOf } from '../name.js';
import { isRecordOf, type DnsRecord, type RecordOf } from '../records.js';
import { namesBelowApex, recordTypeName, type ServedData } from './served-data.js';
import { MAX_NAME_OCTETS } from '../zone-file/names.js';

/** What an authoritative server puts in its reply, before any fault is applied. */
export interface AuthoritativeAnswer {
  rcode: 'NOERROR' | 'NXDOMAIN' | 'REFUSED' | 'YXDOMAIN';
  /** AA: set unless the name is outside every zone or the reply is a referral. */
  authoritative: boolean;
  answers: DnsRecord[];
  authorities: DnsRecord[];
  additionals: DnsRecord[];
}

/**
 * Most aliases (CNAME, DNAME) in one answer; the target of the last is left to the client. NSD goes
 * on until the reply is full; a small bound keeps long-chain tests of resolvers short.
 */
export const MAX_ALIAS_STEPS = 8;

/** The outcome for one name: final, or an alias to look up next. */
type NameOutcome =
  | { kind: 'final'; rcode: AuthoritativeAnswer['rcode']; referral: boolean; answers: DnsRecord[]; authorities: DnsRecord[]; additionals: DnsRecord[] }
  | { kind: 'alias'; answers: DnsRecord[]; target: string };

const REFUSED: AuthoritativeAnswer = { rcode: 'REFUSED', authoritative: false, answers: [], authorities: [], additionals: [] };

/**
 * The reply of an authoritative server (NSD's semantics) for `qname`/`qtype`, both canonical:
 * REFUSED outside every zone; referral at a zone cut; the records; aliases followed within the served
 * data; NODATA or NXDOMAIN with the zone's SOA; wildcards synthesised (RFC 4592).
 */
export function answerQuestion(data: ServedData, qname: string, qtype: string): AuthoritativeAnswer {
  const firstZone = data.zoneFor(qname, qtype);
  if (firstZone === undefined) return REFUSED;
  const answers: DnsRecord[] = [];
  const visited = new Set<string>([qname]);
  let authoritative: boolean | undefined;
  let zone = firstZone;
  let name = qname;
  for (let step = 0; ; step++) {
    const outcome = lookUpName(data, zone, name, qtype);
    for (const record of outcome.answers) answers.push(record);
    authoritative ??= outcome.kind === 'alias' || !outcome.referral;
    if (outcome.kind === 'final') {
      return { rcode: outcome.rcode, authoritative, answers, authorities: outcome.authorities, additionals: outcome.additionals };
    }
    const nextZone = data.zoneFor(outcome.target, qtype);
    const stop = step + 1 >= MAX_ALIAS_STEPS || visited.has(outcome.target) || nextZone === undefined;
    if (stop) return { rcode: 'NOERROR', authoritative, answers, authorities: [], additionals: [] };
    visited.add(outcome.target);
    zone = nextZone;
    name = outcome.target;
  }
}

/** One name inside `zone`: walk down from the apex for cuts and DNAMEs, then answer at the name or its wildcard. */
function lookUpName(data: ServedData, zone: string, name: string, qtype: string): NameOutcome {
  let closestEncloser = zone;
  for (const candidate of namesBelowApex(zone, name)) {
    const isQname = candidate === name;
    const cut = data.recordsOf(candidate, 'NS');
    // At a cut the parent still answers for DS, which lives on its side.
    if (cut.length > 0 && !(isQname && qtype === 'DS')) return referral(data, zone, cut);
    const dname = data.recordsOf(candidate, 'DNAME')[0];
    if (dname && !isQname) return dnameSubstitution(data, zone, dname, name);
    if (!data.exists(candidate)) return answerAtWildcard(data, zone, closestEncloser, name, qtype);
    closestEncloser = candidate;
  }
  return answerAtNode(data, zone, data.recordsAt(name), qtype);
}

/** The records of one node (the name itself, or a wildcard already re-owned to the name). */
function answerAtNode(data: ServedData, zone: string, records: DnsRecord[], qtype: string): NameOutcome {
  const matching = recordsAnswering(records, qtype);
  const nameServers = matching.filter((record): record is RecordOf<'NS'> => isRecordOf(record, 'NS'));
  if (matching.length > 0) return final('NOERROR', matching, [], glue(data, zone, nameServers));
  const cname = records.find((record): record is RecordOf<'CNAME'> => isRecordOf(record, 'CNAME'));
  if (cname) return { kind: 'alias', answers: [cname], target: cname.data };
  return final('NOERROR', [], negativeAuthority(data, zone));
}

/** RFC 8482 §4.2: ANY gets a single RRset, the first at the name, as NSD does. */
function recordsAnswering(records: DnsRecord[], qtype: string): DnsRecord[] {
  const type = qtype === 'ANY' && records[0] !== undefined ? recordTypeName(records[0]) : qtype;
  return records.filter((record) => recordTypeName(record) === type);
}

/** RFC 4592 §3.3.1: the source of synthesis is "*." under the closest encloser. */
function answerAtWildcard(data: ServedData, zone: string, closestEncloser: string, name: string, qtype: string): NameOutcome {
  const wildcard = closestEncloser === '.' ? '*' : `*.${closestEncloser}`;
  if (!data.exists(wildcard)) return final('NXDOMAIN', [], negativeAuthority(data, zone));
  const synthesised = data.recordsAt(wildcard).map((record) => ({ ...record, name }) as DnsRecord);
  return answerAtNode(data, zone, synthesised, qtype);
}

/** RFC 6672 §2.2: the DNAME, plus the CNAME it implies for this name. */
function dnameSubstitution(data: ServedData, zone: string, dname: RecordOf<'DNAME'>, name: string): NameOutcome {
  const prefix = name.slice(0, name.length - dname.name.length - 1);
  const target = dname.data === '.' ? prefix : `${prefix}.${dname.data}`;
  if (wireLength(target) > MAX_NAME_OCTETS) return final('YXDOMAIN', [dname], negativeAuthority(data, zone));
  const cname: DnsRecord = { name, type: 'CNAME', ttl: dname.ttl, data: target };
  return { kind: 'alias', answers: [dname, cname], target };
}

/** NS of the child in authority, their glue in additional; no AA. */
function referral(data: ServedData, zone: string, cut: RecordOf<'NS'>[]): NameOutcome {
  return { kind: 'final', rcode: 'NOERROR', referral: true, answers: [], authorities: cut, additionals: glue(data, zone, cut) };
}

/** Addresses of the name servers that lie inside `zone`, which a resolver could not otherwise reach. */
function glue(data: ServedData, zone: string, nameServers: RecordOf<'NS'>[]): DnsRecord[] {
  return nameServers
    .filter((ns) => isSubdomainOf(ns.data, zone))
    .flatMap((ns) => [...data.recordsOf(ns.data, 'A'), ...data.recordsOf(ns.data, 'AAAA')]);
}

/** The zone's SOA, its TTL capped by the SOA minimum as negative answers are cached that long (RFC 2308 §3). */
function negativeAuthority(data: ServedData, zone: string): DnsRecord[] {
  return data.recordsOf(zone, 'SOA')
    .slice(0, 1)
    .map((soa) => ({ ...soa, ttl: Math.min(soa.ttl, soa.data.minimum) }));
}

function final(rcode: AuthoritativeAnswer['rcode'], answers: DnsRecord[], authorities: DnsRecord[] = [], additionals: DnsRecord[] = []): NameOutcome {
  return { kind: 'final', rcode, referral: false, answers, authorities, additionals };
}

function wireLength(name: string): number {
  return name === '.' ? 1 : name.split('.').reduce((total, label) => total + label.length + 1, 1);
}
