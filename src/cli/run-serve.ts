import { resolverOptions } from '../engine/run-options.js';
import { requestedFamilies } from '../engine/validate-options.js';
import { CLI_OPTION_NAMES } from './args.js';
import { formatServerAddress } from '../dns/server-address.js';
import { startExporter } from '../serve/exporter.js';
import { VERSION } from '../core/version.js';
import type { ServeRequest } from './args.js';
import type { CliIo } from './io.js';
import { RunError } from './io.js';

const STOP_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * `mxlint serve`: listens until SIGTERM or SIGINT, then stops taking requests, lets the probes in
 * flight answer and exits 0. A listen address that cannot be bound is a one-line error, exit 3.
 */
export async function runServe(request: ServeRequest, io: CliIo): Promise<number> {
  const resolver = resolverOptions(request.options);
  const checks = requestedFamilies(request.options, CLI_OPTION_NAMES);
  let exporter;
  try {
    exporter = await startExporter({
      listen: request.listen, resolver, checks, familyOptions: request.options, allow: request.allow,
      probeTimeoutMs: request.probeTimeoutMs, maxProbes: request.maxProbes, version: VERSION, web: request.web,
    });
  } catch (error) {
    throw new RunError(`serve: cannot listen on ${formatServerAddress(request.listen)}: ${(error as Error).message}`);
  }
  const where = formatServerAddress({ ...request.listen, port: exporter.port });
  io.stderr.write(`mxlint serve: listening on http://${where}/ (probe: /probe?target=DOMAIN; ${request.web ? 'web page: /; ' : ''}checks: ${checks.join(',')}; `
    + `DNS: ${resolver.servers.map(formatServerAddress).join(', ')}${request.allow.length > 0 ? `; allowed: ${request.allow.join(', ')}` : ''})\n`);
  const signal = await new Promise<string>((resolve) => {
    const stop = (name: string) => (): void => {
      for (const [other, handler] of handlers) io.signals?.off(other, handler);
      resolve(name);
    };
    const handlers = STOP_SIGNALS.map((name) => [name, stop(name)] as const);
    for (const [name, handler] of handlers) io.signals?.once(name, handler);
  });
  io.stderr.write(`mxlint serve: ${signal}: finishing the probes in flight, taking no new ones\n`);
  await exporter.shutDown();
  io.stderr.write('mxlint serve: stopped\n');
  return 0;
}
