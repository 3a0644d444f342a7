import { Exposition, type MetricMeta } from '../report/exposition.js';

const METRICS: readonly MetricMeta[] = [
  { name: 'mxlint_exporter_build_info', type: 'gauge', help: 'The mxlint version serving, as a label; always 1.' },
  { name: 'mxlint_exporter_requests_total', type: 'counter', help: 'HTTP requests answered, by path and status code.' },
  { name: 'mxlint_exporter_probes_total', type: 'counter', help: 'Probes run to an answer, by result: the status (pass, warn, fail, unknown) or timeout.' },
  { name: 'mxlint_exporter_probes_in_flight', type: 'gauge', help: 'Probes running now (timed-out probes count until their check ends).' },
  { name: 'mxlint_exporter_probes_max', type: 'gauge', help: 'Probes that may run at once (--max-probes); beyond it requests get 429.' },
  { name: 'mxlint_exporter_dns_queries_total', type: 'counter', help: 'DNS queries sent by all probes, by transport.' },
  { name: 'process_cpu_seconds_total', type: 'counter', help: 'User and system CPU time spent, in seconds.' },
  { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.' },
  { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since the Unix epoch, in seconds.' },
];

/** Paths counted by name; anything else is "other", so scanners cannot grow the label set. */
const KNOWN_PATHS = new Set(['/probe', '/metrics', '/healthz', '/', '/report']);

/** The exporter's own counters, for /metrics. */
export class ExporterMetrics {
  private readonly requests = new Map<string, number>();
  private readonly probes = new Map<string, number>();
  private readonly queries = { udp: 0, tcp: 0 };
  private readonly startTime = Date.now() / 1000 - process.uptime();
  inFlight = 0;

  constructor(private readonly version: string, readonly maxProbes: number) {}

  request(path: string, status: number): void {
    const key = `${KNOWN_PATHS.has(path) ? path : 'other'} ${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  probe(result: string): void {
    this.probes.set(result, (this.probes.get(result) ?? 0) + 1);
  }

  dnsQueries(udp: number, tcp: number): void {
    this.queries.udp += udp;
    this.queries.tcp += tcp;
  }

  render(): string {
    const exposition = new Exposition(METRICS);
    exposition.add('mxlint_exporter_build_info', { version: this.version }, 1);
    for (const [key, count] of this.requests) {
      const [path, code] = key.split(' ') as [string, string];
      exposition.add('mxlint_exporter_requests_total', { path, code }, count);
    }
    for (const [result, count] of this.probes) exposition.add('mxlint_exporter_probes_total', { result }, count);
    exposition.add('mxlint_exporter_probes_in_flight', {}, this.inFlight);
    exposition.add('mxlint_exporter_probes_max', {}, this.maxProbes);
    exposition.add('mxlint_exporter_dns_queries_total', { transport: 'udp' }, this.queries.udp);
    exposition.add('mxlint_exporter_dns_queries_total', { transport: 'tcp' }, this.queries.tcp);
    const cpu = process.cpuUsage();
    exposition.add('process_cpu_seconds_total', {}, (cpu.user + cpu.system) / 1e6);
    exposition.add('process_resident_memory_bytes', {}, process.memoryUsage.rss());
    exposition.add('process_start_time_seconds', {}, Math.round(this.startTime));
    return exposition.render();
  }
}
