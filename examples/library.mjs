// mxlint as a library: check domains from your own code.
// Run: node examples/library.mjs 127.0.0.1:5300 example.com [more domains]
// (the first argument is the DNS server to ask; `npm run demo` prints one you can use while it runs,
//  or start your own server on loopback)
import { checkDomain, checkDomains, rules } from 'mxlint';

const [server, ...domains] = process.argv.slice(2);
if (!server || domains.length === 0) {
  console.error('usage: node examples/library.mjs SERVER[:PORT] DOMAIN...');
  process.exit(3);
}

// One domain: the same object `mxlint --format json` prints.
const first = await checkDomain(domains[0], { servers: [server], timeoutMs: 1000 });
console.log(`${first.domain}: ${first.status}`);
for (const mx of first.mx) {
  console.log(`  MX ${mx.preference} ${mx.exchange}`, 'addresses' in mx ? mx.addresses.map((a) => a.address).join(', ') : '(null MX)');
}

// Many domains share one resolver and cache; results come back in input order.
const results = await checkDomains(domains, { servers: [server], concurrency: 16 });
for (const result of results) {
  for (const finding of result.findings) {
    const meta = rules.find((rule) => rule.id === finding.rule);
    console.log(`${result.input}: ${finding.severity} ${finding.rule} (${finding.rfc}) — fix: ${meta?.fix}`);
  }
}
