/**
 * The baseline: what a user would write without mxlint — Node's own dns.promises.Resolver (c-ares)
 * and p-limit at the same concurrency, asking the same questions mxlint asks. One JSON line per
 * domain on stdout.
 *
 *   node baseline.js --server S --concurrency N --resolvers N [--timeout MS --tries N] [--checks mx|mx,spf,dmarc] FILE
 *
 * mx: MX, then A, AAAA and CNAME for each exchange (c-ares follows a CNAME silently, so finding one
 * takes its own query), with the implicit MX when there is none.
 * spf: the domain's TXT records, then check_host() as for a client the policy does not list: every
 * include and redirect fetched and parsed in turn, a and mx mechanisms resolved, lookups counted
 * against the limit of ten (RFC 7208 §4.6.4).
 * dmarc: the DNS Tree Walk of RFC 9989 §4.10 (one _dmarc name per label up to the top-level domain,
 * stopping at psd=y or psd=n), the Organizational Domain and the record that applies, then for each
 * report host outside the policy's Organizational Domain its own walk and its consent record
 * (RFC 9990 §4).
 *
 * Several Resolver instances share the load: one alone drops replies at this rate (its socket's
 * receive buffer overflows), as measured on this kind of machine.
 */
import { createReadStream } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import pLimit from 'p-limit';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string' },
    concurrency: { type: 'string' },
    resolvers: { type: 'string' },
    timeout: { type: 'string', default: '2000' },
    tries: { type: 'string', default: '3' },
    checks: { type: 'string', default: 'mx' },
  },
});
const concurrency = Number(values.concurrency);
const resolverCount = Number(values.resolvers);
const checks = new Set(values.checks.split(','));
const file = positionals[0];
if (!values.server || !file || !(concurrency >= 1) || !(resolverCount >= 1) || [...checks].some((c) => !['mx', 'spf', 'dmarc'].includes(c))) {
  process.stderr.write('usage: baseline.js --server S --concurrency N --resolvers N [--timeout MS --tries N] [--checks mx,spf,dmarc] FILE\n');
  process.exit(3);
}

const resolvers = Array.from({ length: resolverCount }, () => {
  const resolver = new Resolver({ timeout: Number(values.timeout), tries: Number(values.tries) });
  resolver.setServers([values.server!]);
  return resolver;
});

/** NODATA and NXDOMAIN are answers (nothing there); anything else is a failed lookup. */
async function ask<T>(lookup: Promise<T[]>): Promise<T[] | 'failed'> {
  try {
    return await lookup;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENODATA' || code === 'ENOTFOUND' ? [] : 'failed';
  }
}

async function txt(resolver: Resolver, name: string): Promise<string[] | 'failed'> {
  const records = await ask(resolver.resolveTxt(name));
  return records === 'failed' ? records : records.map((chunks) => chunks.join(''));
}

async function checkMx(resolver: Resolver, domain: string, problems: string[]): Promise<boolean> {
  const mx = await ask(resolver.resolveMx(domain));
  if (mx === 'failed') {
    problems.push('mx lookup failed');
    return false;
  }
  const exchanges = [...new Set(mx.map((record) => record.exchange).filter((name) => name !== ''))];
  if (mx.length === 0) {
    const [a, aaaa] = await Promise.all([ask(resolver.resolve4(domain)), ask(resolver.resolve6(domain))]);
    problems.push(a === 'failed' || aaaa === 'failed' ? 'implicit mx lookup failed' : a.length + aaaa.length > 0 ? 'implicit mx' : 'no mx');
  }
  await Promise.all(exchanges.map(async (exchange) => {
    const [a, aaaa, cname] = await Promise.all([ask(resolver.resolve4(exchange)), ask(resolver.resolve6(exchange)), ask(resolver.resolveCname(exchange))]);
    if (a === 'failed' || aaaa === 'failed' || cname === 'failed') problems.push(`${exchange}: lookup failed`);
    else if (cname.length > 0) problems.push(`${exchange}: cname`);
    else if (a.length + aaaa.length === 0) problems.push(`${exchange}: no address`);
  }));
  return true;
}

const SPF_LOOKUP_LIMIT = 10;
const SPF_VOID_LIMIT = 2;

/** check_host() for an address no mechanism matches: every mechanism and modifier evaluated, in order. */
async function checkSpf(resolver: Resolver, domain: string, problems: string[]): Promise<void> {
  let lookups = 0;
  let voids = 0;
  const addresses = async (name: string): Promise<number | 'failed'> => {
    const [a, aaaa] = await Promise.all([ask(resolver.resolve4(name)), ask(resolver.resolve6(name))]);
    return a === 'failed' || aaaa === 'failed' ? 'failed' : a.length + aaaa.length;
  };
  const evaluate = async (name: string, depth: number): Promise<string | null> => {
    const texts = await txt(resolver, name);
    if (texts === 'failed') return 'temperror';
    const records = texts.filter((text) => /^v=spf1( |$)/i.test(text));
    if (records.length !== 1) return records.length === 0 && depth > 0 ? 'permerror: no record' : records.length === 0 ? 'none' : 'permerror: several records';
    let redirect: string | null = null;
    for (const term of records[0]!.split(' ').slice(1).filter((t) => t !== '')) {
      const [, key = '', value] = /^[+?~-]?([a-z0-9]+)[:=]?(.*)$/i.exec(term) ?? [];
      const mechanism = key.toLowerCase();
      const target = value === '' || value === undefined ? name : value.split('/')[0]!;
      if (mechanism === 'redirect') { redirect = target; continue; }
      if (!['include', 'a', 'mx', 'ptr', 'exists'].includes(mechanism)) continue;
      if (++lookups > SPF_LOOKUP_LIMIT) return 'permerror: too many lookups';
      if (mechanism === 'include') {
        const result = await evaluate(target, depth + 1);
        if (result !== null) return result;
      } else if (mechanism === 'a' || mechanism === 'exists') {
        const found = await addresses(target);
        if (found === 'failed') return 'temperror';
        if (found === 0 && ++voids > SPF_VOID_LIMIT) return 'permerror: too many void lookups';
      } else if (mechanism === 'mx') {
        const mx = await ask(resolver.resolveMx(target));
        if (mx === 'failed') return 'temperror';
        if (mx.length === 0 && ++voids > SPF_VOID_LIMIT) return 'permerror: too many void lookups';
        for (const found of await Promise.all(mx.slice(0, SPF_LOOKUP_LIMIT).map((record) => addresses(record.exchange)))) if (found === 'failed') return 'temperror';
      }
    }
    if (redirect === null) return null;
    if (++lookups > SPF_LOOKUP_LIMIT) return 'permerror: too many lookups';
    return evaluate(redirect, depth + 1);
  };
  const result = await evaluate(domain, 0);
  if (result !== null) problems.push(`spf: ${result}`);
}

const MAX_TREE_WALK_QUERIES = 8;

function treeWalkDomains(domain: string): string[] {
  const labels = domain.split('.');
  const domains = [domain];
  for (let kept = Math.min(labels.length - 1, MAX_TREE_WALK_QUERIES - 1); kept >= 1; kept--) domains.push(labels.slice(-kept).join('.'));
  return domains;
}

type DmarcTags = Map<string, string>;
interface Step { domain: string; record: DmarcTags | null }

function parseDmarc(text: string): DmarcTags {
  return new Map(text.split(';').map((part) => part.trim().split('=').map((side) => side.trim()) as [string, string]).filter(([key]) => key !== '').map(([key, value]) => [key.toLowerCase(), value ?? '']));
}

async function walkTree(resolver: Resolver, domain: string): Promise<Step[] | 'failed'> {
  const steps: Step[] = [];
  for (const name of treeWalkDomains(domain)) {
    const texts = await txt(resolver, `_dmarc.${name}`);
    if (texts === 'failed') return 'failed';
    const records = texts.filter((text) => /^v=DMARC1\s*(;|$)/i.test(text));
    const record = records.length === 1 ? parseDmarc(records[0]!) : null;
    steps.push({ domain: name, record });
    const psd = record?.get('psd');
    if (psd === 'y' || psd === 'n') break;
  }
  return steps;
}

function organizationalDomain(steps: Step[]): string {
  for (const [index, { domain, record }] of steps.entries()) {
    if (record?.get('psd') === 'n') return domain;
    if (record?.get('psd') === 'y' && index > 0) return steps[index - 1]!.domain;
  }
  return steps.findLast((step) => step.record !== null)?.domain ?? steps[0]!.domain;
}

async function checkDmarc(resolver: Resolver, domain: string, problems: string[]): Promise<void> {
  const steps = await walkTree(resolver, domain);
  if (steps === 'failed') return void problems.push('dmarc lookup failed');
  const organization = organizationalDomain(steps);
  const applied = steps[0]!.record !== null ? steps[0]! : steps.find((step) => step.domain === organization && step.record !== null);
  if (applied === undefined) return void problems.push('dmarc: no policy');
  const policy = applied.record!.get('p');
  if (policy !== 'none' && policy !== 'quarantine' && policy !== 'reject') problems.push(`dmarc: p=${policy}`);
  else if (policy === 'none') problems.push('dmarc: p=none');
  const hosts = new Set((applied.record!.get('rua') ?? '').split(',').map((uri) => /^mailto:[^@]+@([^!]+)/i.exec(uri.trim())?.[1]?.toLowerCase()).filter((host) => host !== undefined && host !== applied.domain));
  await Promise.all([...hosts].map(async (host) => {
    const walk = await walkTree(resolver, host!);
    if (walk === 'failed') return void problems.push(`${host}: lookup failed`);
    if (organizationalDomain(walk) === organization) return;
    const consent = await txt(resolver, `${applied.domain}._report._dmarc.${host}`);
    if (consent === 'failed') problems.push(`${host}: lookup failed`);
    else if (!consent.some((text) => /^v=DMARC1\s*(;|$)/i.test(text))) problems.push(`${host}: reports not authorized`);
  }));
}

async function check(resolver: Resolver, domain: string): Promise<{ domain: string; status: string; problems: string[] }> {
  const problems: string[] = [];
  const answered = await Promise.all([
    checks.has('mx') ? checkMx(resolver, domain, problems) : true,
    checks.has('spf') ? checkSpf(resolver, domain, problems) : undefined,
    checks.has('dmarc') ? checkDmarc(resolver, domain, problems) : undefined,
  ]);
  return { domain, status: answered[0] === false ? 'unknown' : problems.length === 0 ? 'pass' : 'fail', problems };
}

const limit = pLimit(concurrency);
const running = new Set<Promise<void>>();
let next = 0;
let checked = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  const domain = line.trim();
  if (domain === '') continue;
  const resolver = resolvers[next++ % resolvers.length]!;
  const task = limit(() => check(resolver, domain)).then((result) => {
    checked++;
    process.stdout.write(`${JSON.stringify(result)}\n`);
  });
  running.add(task);
  void task.finally(() => running.delete(task));
  // Read on only while the work queued stays small: memory as flat as mxlint's.
  if (running.size >= concurrency * 2) await Promise.race(running);
}
await Promise.all(running);
process.stderr.write(`checked ${checked}\n`);
