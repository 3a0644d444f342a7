/**
 * Prometheus text exposition format 0.0.4 (what node_exporter's textfile collector and a scrape
 * read): `# HELP` and `# TYPE` once per metric, then all its samples together.
 */
import { escapeUntrusted } from '../core/escape.js';

export type MetricType = 'gauge' | 'counter';

export interface MetricMeta {
  name: string;
  type: MetricType;
  help: string;
}

export type Labels = Readonly<Record<string, string>>;

/**
 * Label values (domains, exchanges: names from DNS and input lines): characters that could drive a
 * terminal showing the metrics as `\DDD`, as in every other format, then backslash and double
 * quote escaped as the format requires (no line feed is left to escape).
 */
export function escapeLabelValue(value: string): string {
  return escapeUntrusted(value).replace(/[\\"]/g, (c) => `\\${c}`);
}

/** HELP text: backslash and line feed are escaped (quotes are not). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\\\'));
}

export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export function sampleLine(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabelValue(v)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${formatSampleValue(value)}\n`;
}

export function metricHeader(meta: MetricMeta): string {
  return `# HELP ${meta.name} ${escapeHelp(meta.help)}\n# TYPE ${meta.name} ${meta.type}\n`;
}

/**
 * Samples collected per metric in any order, written grouped as the format requires. Metrics come
 * out in the order of `metrics`; a metric without samples is left out.
 */
export class Exposition {
  private readonly lines = new Map<string, string[]>();

  constructor(private readonly metrics: readonly MetricMeta[]) {
    for (const meta of metrics) this.lines.set(meta.name, []);
  }

  add(name: string, labels: Labels, value: number): void {
    const lines = this.lines.get(name);
    if (lines === undefined) throw new Error(`metric ${name} is not declared`);
    lines.push(sampleLine(name, labels, value));
  }

  render(): string {
    return this.metrics
      .filter((meta) => this.lines.get(meta.name)!.length > 0)
      .map((meta) => metricHeader(meta) + this.lines.get(meta.name)!.join(''))
      .join('');
  }
}
