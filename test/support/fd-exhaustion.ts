/**
 * Runs mxlint with every file descriptor of the process taken, as under `ulimit -n` with many
 * connections open: a child process for the tests (`node dist/test/support/fd-exhaustion.js MODE …`),
 * so the test runner keeps its own descriptors.
 *
 *   resolver NAME…  lookups of A NAME… through the Resolver; prints their outcomes as JSON lines
 *   cli ARG…        the CLI's runCli(ARG… --server LOCAL); exits with its exit code
 *
 * Both start the in-process DNS server first (it answers from the zone below), then open /dev/null
 * until the kernel says EMFILE, so the first socket mxlint itself opens is refused.
 */
import { closeSync, openSync } from 'node:fs';
import { Resolver } from '../../src/dns/resolver.js';
import { startLocalDnsServer } from '../../src/dns/local-server/server.js';
import { runCli } from '../../src/cli/main.js';
import { processIo } from '../../src/cli/io.js';
import { zoneRecords } from './zone-source.js';

const ZONE = `
$ORIGIN fd.test.
$TTL 3600
@     SOA  ns1 hostmaster 1 3600 600 86400 300
@     NS   ns1
ns1   A    192.0.2.53
@     MX   10 mail
mail  A    192.0.2.25
`;

/** Opens /dev/null until the process may open no more; returns what it opened, to be closed after. */
function takeEveryDescriptor(): number[] {
  const taken: number[] = [];
  for (;;) {
    try {
      taken.push(openSync('/dev/null', 'r'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EMFILE' || (error as NodeJS.ErrnoException).code === 'ENFILE') return taken;
      throw error;
    }
  }
}

const [mode, ...rest] = process.argv.slice(2);
const server = await startLocalDnsServer({ records: zoneRecords(ZONE) });
// The argument parser reads its messages from a file the first time: a run that has started has them.
if (mode === 'cli') await runCli(['--version'], { ...processIo, stdout: { write: () => true } });
const taken = takeEveryDescriptor();
try {
  if (mode === 'resolver') {
    const resolver = new Resolver({ servers: [{ host: server.host, port: server.port, family: 4 }], timeoutMs: 2000, retries: 1 });
    const lookups = await Promise.all(rest.map((name) => resolver.lookup(name, 'A')));
    resolver.close();
    for (const lookup of lookups) process.stdout.write(`${JSON.stringify(lookup.ok ? { ok: true } : { ok: false, kind: lookup.kind, message: lookup.message })}\n`);
  } else if (mode === 'cli') {
    process.exitCode = await runCli([...rest, '--server', server.address], processIo);
  } else {
    throw new Error(`fd-exhaustion: unknown mode ${mode}`);
  }
} finally {
  for (const fd of taken) closeSync(fd);
  await server.close();
}
