/** `mxlint serve`'s defaults and bounds: what a probe may cost the machine it runs on. */

export const DEFAULT_LISTEN_PORT = 9314;
/** Prometheus's default scrape_timeout is 10 s: a probe should answer within it. */
export const DEFAULT_PROBE_TIMEOUT_MS = 10_000;
/** Probes at once before new ones get 429: each may have dozens of queries in flight. */
export const DEFAULT_MAX_PROBES = 32;
/**
 * Taken off Prometheus's scrape timeout (X-Prometheus-Scrape-Timeout-Seconds) so the answer arrives
 * before Prometheus gives up, as blackbox_exporter's timeout_offset does.
 */
export const SCRAPE_TIMEOUT_OFFSET_MS = 500;
/** After SIGTERM, probes in flight get their timeout and this much more before connections are cut. */
export const SHUTDOWN_MARGIN_MS = 2_000;
/** A target longer than a domain name can be is refused before it is parsed. */
export const MAX_TARGET_CHARS = 1024;
/**
 * HTTP connections the exporter keeps open: past it a new one closes the oldest idle one
 * (serve/connections.ts). Far more than Prometheus needs, far fewer than the 1,024 file
 * descriptors a default `ulimit -n` gives, so probes keep sockets of their own and /healthz answers
 * however many connections clients leave open.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
