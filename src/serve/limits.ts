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
 * HTTP connections the exporter keeps open (serve/connections.ts): past it a new one closes the
 * oldest kept-alive or long-silent one, or is answered once and closed. Far more than Prometheus
 * needs, far fewer than the 1,024 file descriptors a default `ulimit -n` gives, so probes keep
 * sockets of their own and /healthz answers however many connections clients leave open.
 */
export const DEFAULT_MAX_CONNECTIONS = 256;
/**
 * The most HTTP connections open at once, those answered once included, however many file
 * descriptors the process may open: a burst of a thousand clients is answered, not cut.
 */
export const MAX_OPEN_CONNECTIONS = 4096;
/** File descriptors left to probes (DNS, SMTP, HTTPS sockets) and the process when connections are counted. */
export const DESCRIPTORS_FOR_PROBES = 256;
/** The open-file limit assumed where the process cannot read its own: a default `ulimit -n`. */
export const ASSUMED_OPEN_FILE_LIMIT = 1024;
/** /proc/self/limits, where that limit is read, is a few hundred octets. */
export const MAX_PROC_LIMITS_BYTES = 16 * 1024;
/**
 * How long a new HTTP connection that has sent nothing is left alone: clients send their request
 * as soon as they connect, so one silent for this long is sitting on the connection.
 */
export const NEW_CONNECTION_GRACE_MS = 5_000;
