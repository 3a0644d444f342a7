import { html } from './markup.js';
import type { Html } from './markup.js';

/**
 * Horizontal bar charts as plain SVG, drawn here rather than by a charting library: bars are all
 * the report needs, an SVG written at the end of the run shows without JavaScript (a canvas
 * library would draw nothing then) and costs the file no library code. Each bar's numbers are also
 * written out in words beside it, so no reading depends on colour or on telling lengths apart.
 */

/** Bars in one chart; the rest are summed in the caption. */
export const MAX_CHART_BARS = 12;

/** The colour class of a part of a bar: a verdict, or `info`/`none` for what has none. */
export type BarKind = 'pass' | 'warn' | 'fail' | 'unknown' | 'info' | 'none';

export interface Bar {
  label: string;
  parts: { kind: BarKind; value: number; word: string }[];
}

const CHAR_WIDTH = 7.2;
const BAR_HEIGHT = 18;
const ROW_HEIGHT = 26;
const BAR_AREA = 260;
const GAP = 10;
const MAX_LABEL_CHARS = 40;

function shortened(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_LABEL_CHARS ? text : `${chars.slice(0, MAX_LABEL_CHARS - 1).join('')}…`;
}

const number = (n: number): string => n.toLocaleString('en-US');

/** "1,234: 1,200 error, 34 warning", the parts that are not zero. */
function inWords(bar: Bar): string {
  const total = bar.parts.reduce((sum, part) => sum + part.value, 0);
  const parts = bar.parts.filter((part) => part.value > 0);
  if (parts.length === 0 || (parts.length === 1 && parts[0]!.word === '')) return number(total);
  return `${number(total)}: ${parts.map((part) => `${number(part.value)} ${part.word}`.trim()).join(', ')}`;
}

/**
 * A figure with its caption and one bar per entry (the first MAX_CHART_BARS, as given), each
 * labelled on the left and with its numbers in words on the right.
 */
export function barChart(title: string, bars: readonly Bar[], note = ''): Html {
  const shown = bars.slice(0, MAX_CHART_BARS);
  const left = bars.length - shown.length;
  const totals = shown.map((bar) => bar.parts.reduce((sum, part) => sum + part.value, 0));
  const max = Math.max(1, ...totals);
  const labelWidth = Math.ceil(Math.max(8, ...shown.map((bar) => [...shortened(bar.label)].length)) * CHAR_WIDTH);
  const wordsWidth = Math.ceil(Math.max(0, ...shown.map((bar) => inWords(bar).length)) * CHAR_WIDTH);
  const width = labelWidth + GAP + BAR_AREA + GAP + wordsWidth;
  const height = Math.max(1, shown.length) * ROW_HEIGHT;
  const rows = shown.map((bar, i) => {
    const y = i * ROW_HEIGHT;
    let x = labelWidth + GAP;
    const segments = bar.parts.filter((part) => part.value > 0).map((part) => {
      const w = (part.value / max) * BAR_AREA;
      const segment = html`<rect class="bar mark-${part.kind}" x="${x.toFixed(1)}" y="${y + 4}" width="${Math.max(1, w).toFixed(1)}" height="${BAR_HEIGHT}"/>`;
      x += w;
      return segment;
    });
    const words = inWords(bar);
    return html`<g class="bar-row"><title>${bar.label}: ${words}</title>${[
      html`<text x="${labelWidth}" y="${y + 17}" text-anchor="end">${shortened(bar.label)}</text>`,
      segments,
      html`<text class="bar-value" x="${labelWidth + GAP + BAR_AREA + GAP}" y="${y + 17}">${words}</text>`,
    ]}</g>`;
  });
  const description = shown.map((bar) => `${bar.label}: ${inWords(bar)}`).join('; ');
  const more = left > 0 ? ` (${left} more not shown)` : '';
  return html`<figure class="chart"><figcaption>${title}${note || more ? html` <span class="chart-note">${note}${more}</span>` : ''}</figcaption>${
    shown.length === 0 ? html`<p>None.</p>`
    : html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><desc>${description}</desc>${rows}</svg>`
  }</figure>`;
}
