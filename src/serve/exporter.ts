import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckOptions } from '../core/options.js';
import type { ResolverOptions } from '../dns/resolver.js';
import type { ServerAddress } from '../dns/server-address.js';
import type { CheckFamily } from '../families/index.js';
import { ExporterMetrics } from './exporter-metrics.js';
import { capConnections } from './connections.js';
import {
  DEFAULT_MAX_CONNECTIONS, DESCRIPTORS_FOR_PROBES, MAX_OPEN_CONNECTIONS, NEW_CONNECTION_GRACE_MS, SCRAPE_TIMEOUT_OFFSET_MS, SHUTDOWN_MARGIN_MS,
} from './limits.js';
import { openFileLimit } from './open-file-limit.js';
import { probeMetrics, runProbe } from './probe.js';
import { readProbeRequest } from './target.js';
import { formPage, refusalAnswer, reportAnswer, webFormat } from './web.js';
import type { WebAnswer } from './web.js';
import type { ProbeOutcome } from './probe.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface ExporterOptions {
  listen: ServerAddress;
  /** How probes ask DNS (servers, timeout, retries, tcp, rotate, a shared rate limit); each probe gets its own cache. */
  resolver: ResolverOptions;
  /** The check families probes run, and the only ones `&checks=` may choose from. */
  checks: CheckFamily[];
  /** The families' own settings (SMTP probe, trust anchors, block lists …), as for a check from the command line. */
  familyOptions?: CheckOptions;
  /** Domain suffixes a target must be at or under; empty: any domain. */
  allow: string[];
  probeTimeoutMs: number;
  maxProbes: number;
  version: string;
  /** Also serve the web page: a form at /, the report at /report (off: an exporter only). */
  web: boolean;
}

export interface Exporter {
  /** Where it listens (the port filled in when 0 was asked for). */
  host: string;
  port: number;
  /**
   * Answers new requests 503 (/healthz included: the port stays open meanwhile), lets the probes in
   * flight answer within their timeout, cancels whatever is left after SHUTDOWN_MARGIN_MS more, then
   * closes; idempotent.
   */
  shutDown(): Promise<void>;
}


/** How long this probe may take: the exporter's limit, or less when Prometheus says it gives up sooner. */
function probeTimeout(req: IncomingMessage, limitMs: number): number {
  const scrape = Number(req.headers['x-prometheus-scrape-timeout-seconds']);
  if (!Number.isFinite(scrape) || scrape <= 0) return limitMs;
  return Math.max(1, Math.min(limitMs, scrape * 1000 - SCRAPE_TIMEOUT_OFFSET_MS));
}

const INDEX = [
  'mxlint exporter',
  '',
  'GET /probe?target=example.com[&checks=mx,...]  check a domain; metrics in the Prometheus text format',
  'GET /metrics                                   the exporter\'s own metrics',
  'GET /healthz                                   200 while serving, 503 while shutting down',
  '(the web page, a form at / and /report?target=example.com, is off: mxlint serve --web)',
  '',
].join('\n');

/** Why a check was not started, as an HTTP status, a one-line reason and headers. */
interface Refused {
  status: number;
  reason: string;
  headers: Record<string, string>;
}

/**
 * A blackbox_exporter-style HTTP exporter: Prometheus scrapes /probe?target=DOMAIN and gets the
 * check of that domain as metrics. Targets are validated before anything is looked up, at most
 * `maxProbes` run at once (429 beyond), each within its timeout; SIGTERM handling is the caller's,
 * through shutDown().
 */
export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  const metrics = new ExporterMetrics(options.version, options.maxProbes);
  const probes = new Set<Promise<unknown>>();
  /** Aborted when shutting down runs out of patience: the checks still going stop at once. */
  const stopping = new AbortController();
  let shuttingDown = false;
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    // Once shutting down, every answer closes its connection, so none lingers in keep-alive.
    res.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...(shuttingDown ? { connection: 'close' } : {}), ...headers,
    });
    res.end(body);
  };

  /**
   * Starts the check a request asks for (/probe and /report alike): the target and checks
   * validated, at most maxProbes at once (429 beyond, never a queue), within the probe timeout.
   */
  const startCheck = (req: IncomingMessage, params: URLSearchParams): { refused: Refused } | { outcome: Promise<ProbeOutcome>; finished: Promise<{ udpQueries: number; tcpQueries: number }> } => {
    const asked = readProbeRequest(params, options.allow, options.checks);
    if (!asked.ok) return { refused: { status: asked.refusal.status, reason: asked.refusal.reason, headers: {} } };
    if (metrics.inFlight >= options.maxProbes) {
      return { refused: { status: 429, reason: `too many probes in flight (at most ${options.maxProbes}); try again shortly`, headers: { 'retry-after': '1' } } };
    }
    metrics.inFlight++;
    const run = runProbe(asked.domain, { ...options.familyOptions, checks: asked.checks }, options.resolver, probeTimeout(req, options.probeTimeoutMs),
      stopping.signal);
    const finished = run.finished.then((queries) => {
      metrics.inFlight--;
      metrics.dnsQueries(queries.udpQueries, queries.tcpQueries);
      return queries;
    });
    probes.add(finished);
    void finished.finally(() => probes.delete(finished));
    const outcome = run.outcome.then((done) => {
      metrics.probe(done.kind === 'timeout' ? 'timeout' : done.timed.result.status);
      return done;
    });
    return { outcome, finished };
  };

  const handleProbe = async (req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<number> => {
    const check = startCheck(req, params);
    if ('refused' in check) {
      send(res, check.refused.status, `${check.refused.reason}\n`, check.refused.headers);
      return check.refused.status;
    }
    const outcome = await check.outcome;
    send(res, 200, probeMetrics(outcome, outcome.kind === 'done' ? await check.finished : null), { 'content-type': EXPOSITION_CONTENT_TYPE });
    return 200;
  };

  const answer = (res: ServerResponse, page: WebAnswer): number => {
    send(res, page.status, page.body, page.headers);
    return page.status;
  };

  const handleReport = async (req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<number> => {
    const format = webFormat(params);
    if (format === null) return answer(res, refusalAnswer(400, 'format must be html or json', 'html'));
    const check = startCheck(req, params);
    if ('refused' in check) return answer(res, refusalAnswer(check.refused.status, check.refused.reason, format, check.refused.headers));
    const outcome = await check.outcome;
    if (outcome.kind === 'timeout') {
      return answer(res, refusalAnswer(504, `the check did not finish within ${Math.round(outcome.elapsedMs)} ms (serve --probe-timeout); try again, or ask for fewer checks`, format));
    }
    return answer(res, reportAnswer(outcome.timed.result, format));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    if (shuttingDown) {
      send(res, 503, 'shutting down\n');
      return 503;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'only GET and HEAD\n', { allow: 'GET, HEAD' });
      return 405;
    }
    const url = new URL(req.url ?? '/', 'http://exporter.invalid');
    switch (url.pathname) {
      case '/probe':
        return handleProbe(req, res, url.searchParams);
      case '/metrics':
        send(res, 200, metrics.render(), { 'content-type': EXPOSITION_CONTENT_TYPE });
        return 200;
      case '/healthz':
        send(res, 200, 'ok\n');
        return 200;
      case '/report':
        if (!options.web) break;
        return handleReport(req, res, url.searchParams);
      case '/':
        if (options.web) return answer(res, formPage(options.checks));
        send(res, 200, INDEX);
        return 200;
    }
    send(res, 404, `no such page: ${url.pathname} (see /)\n`);
    return 404;
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    handle(req, res).then(
      (status) => metrics.request(path, status),
      (error: unknown) => {
        metrics.request(path, 500);
        if (!res.headersSent) send(res, 500, `internal error: ${error instanceof Error ? error.message : String(error)}\n`);
        else res.destroy();
      },
    );
  });
  // A client that never finishes its request must not hold a connection for long, nor one that never
  // starts one (headersTimeout only counts from the first octet): an inactive connection is closed.
  server.requestTimeout = options.probeTimeoutMs + SHUTDOWN_MARGIN_MS;
  server.headersTimeout = Math.min(server.requestTimeout, 10_000);
  server.timeout = server.requestTimeout;
  capConnections(server, {
    keep: DEFAULT_MAX_CONNECTIONS,
    hardLimit: Math.max(DEFAULT_MAX_CONNECTIONS, Math.min(MAX_OPEN_CONNECTIONS, openFileLimit() - DESCRIPTORS_FOR_PROBES)),
    graceMs: NEW_CONNECTION_GRACE_MS,
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.listen.host, port: options.listen.port, ipv6Only: options.listen.family === 6 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  let closing: Promise<void> | null = null;
  const shutDown = (): Promise<void> => {
    closing ??= (async () => {
      shuttingDown = true;
      // Still listening: a request now (a load balancer asking /healthz) is answered 503, not refused.
      server.closeIdleConnections();
      // Each probe ends by its own timeout, which cancels its check; past the margin, whatever is left is cut.
      const grace = setTimeout(() => {
        stopping.abort(new Error('mxlint serve is shutting down'));
        server.closeAllConnections();
      }, options.probeTimeoutMs + SHUTDOWN_MARGIN_MS);
      await Promise.all([...probes]);
      // The last answers go to their sockets, each closing its connection after it (connection: close).
      await new Promise((resolve) => setImmediate(resolve));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // A connection still in the middle of a request is cut by the grace timer at the latest.
      await closed;
      clearTimeout(grace);
    })();
    return closing;
  };

  return { host: address.address, port: address.port, shutDown };
}
