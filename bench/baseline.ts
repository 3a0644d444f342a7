/**
 * The baseline: what a user would write without mxlint — Node's own dns.promises.Resolver (c-ares)
 * and p-limit at the same concurrency, doing the same checks: MX, then A, AAAA and CNAME for each
 * exchange (c-ares follows a CNAME silently, so finding one takes its own query), with the
 * implicit MX when there is none. One JSON line per domain on stdout.
 *
 *   node baseline.js SERVER CONCURRENCY RESOLVERS FILE
 *
 * Several Resolver instances share the load: one alone drops replies at this rate (its socket's
 * receive buffer overflows), as measured on this kind of machine.
 */
import { createReadStream } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';

const [server, concurrencyText, resolversText, file] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const resolverCount = Number(resolversText);
if (!server || !file || !(concurrency >= 1) || !(resolverCount >= 1)) {
  process.stderr.write('usage: baseline.js SERVER CONCURRENCY RESOLVERS FILE\n');
  process.exit(3);
}

const resolvers = Array.from({ length: resolverCount }, () => {
  const resolver = new Resolver({ timeout: 2000, tries: 3 });
  resolver.setServers([server]);
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

async function check(resolver: Resolver, domain: string): Promise<{ domain: string; status: string; problems: string[] }> {
  const problems: string[] = [];
  const mx = await ask(resolver.resolveMx(domain));
  if (mx === 'failed') return { domain, status: 'unknown', problems: ['mx lookup failed'] };
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
  return { domain, status: problems.length === 0 ? 'pass' : 'fail', problems };
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
