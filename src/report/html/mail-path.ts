import type { Status } from '../../core/finding.js';
import { isIpLiteral } from '../../dns/name.js';
import type { DomainResult } from '../../engine/result.js';
import type { MxEntry } from '../../families/mx/section.js';
import { exchangeStatus, STATUS_MARK } from '../text.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

/**
 * The mail path of one domain as an SVG drawing, left to right: the domain, its MX records by
 * preference, the exchange each names, the canonical name its CNAME chain leads to (when it is an
 * alias), the addresses. A null MX, an implicit MX, an alias, a missing address and every
 * exchange's verdict are marked with a sign and a word as well as a colour.
 */

/** MX records drawn; a domain with more gets a last node saying how many are left out. */
export const MAX_DRAWN_MX = 12;
/** Addresses drawn per exchange; the rest are counted in a last node. */
export const MAX_DRAWN_ADDRESSES = 6;
/** Characters of a name drawn in a node; a longer one is cut with "…", the whole name in its tooltip. */
export const MAX_DRAWN_NAME_CHARS = 48;

/** What a node stands for: the `data-kind` of its group, which the page's tests and styles read. */
type NodeKind = 'domain' | 'mx' | 'exchange' | 'alias' | 'address' | 'more';
/** `null`: a null MX, no mail at all; `none`: no verdict of its own (a record, an address). */
type NodeMark = Status | 'null' | 'none';

interface PathNode {
  kind: NodeKind;
  text: string;
  /** A second, smaller line: what the node is, or what is wrong with it, in words. */
  caption: string;
  mark: NodeMark;
}

interface Branch {
  mx: PathNode;
  exchange: PathNode | null;
  /** Where the exchange's CNAME chain ends, when the exchange is an alias. */
  alias: PathNode | null;
  addresses: PathNode[];
}

const NULL_MARK = '⊘';

function nodeMark(mark: NodeMark): string {
  return mark === 'null' ? NULL_MARK : mark === 'none' ? '' : STATUS_MARK[mark];
}

function addressNodes(entry: Extract<MxEntry, { addresses: unknown }>, status: Status, notAsked: boolean): PathNode[] {
  if (isIpLiteral(entry.exchange)) return [{ kind: 'address', text: 'not looked up', caption: 'the MX names an address, not a host', mark: 'fail' }];
  if (notAsked) return [{ kind: 'address', text: 'not looked up', caption: 'outside the zone files (--offline)', mark: 'unknown' }];
  if (entry.addresses.length === 0) return [{ kind: 'address', text: 'no address', caption: `${status === 'pass' ? 'fail' : status}: no A or AAAA`, mark: status === 'pass' ? 'fail' : status }];
  const shown = entry.addresses.slice(0, MAX_DRAWN_ADDRESSES).map((a): PathNode => ({ kind: 'address', text: a.address, caption: `IPv${a.family}`, mark: 'none' }));
  const left = entry.addresses.length - shown.length;
  return left > 0 ? [...shown, { kind: 'more', text: `+${left} more`, caption: 'addresses', mark: 'none' }] : shown;
}

function branch(entry: MxEntry, result: DomainResult): Branch {
  const mx: PathNode = { kind: 'mx', text: `MX ${entry.preference}`, caption: 'preference', mark: 'none' };
  if (entry.exchange === '.') {
    return { mx, exchange: { kind: 'exchange', text: 'null MX "."', caption: 'accepts no mail (RFC 7505)', mark: 'null' }, alias: null, addresses: [] };
  }
  if (!('addresses' in entry)) return { mx, exchange: { kind: 'exchange', text: entry.exchange, caption: 'not looked up', mark: 'unknown' }, alias: null, addresses: [] };
  const notAsked = result.zone?.notAsked?.includes(entry.exchange) === true;
  const status = notAsked ? 'unknown' : exchangeStatus(result.findings, entry.exchange);
  const steps = entry.cname.length;
  return {
    mx,
    exchange: { kind: 'exchange', text: entry.exchange, caption: steps > 0 ? `${status} · CNAME, an alias` : status, mark: status },
    alias: steps > 0 ? { kind: 'alias', text: entry.cname.at(-1)!, caption: `canonical name, via ${steps} CNAME${steps === 1 ? '' : 's'}`, mark: 'none' } : null,
    addresses: addressNodes(entry, status, notAsked),
  };
}

/** One branch per MX record; without any, the implicit MX (the domain's own addresses) or nothing. */
function branches(result: DomainResult): Branch[] {
  const drawn = result.mx.slice(0, MAX_DRAWN_MX).map((entry) => branch(entry, result));
  const left = result.mx.length - drawn.length;
  if (left > 0) drawn.push({ mx: { kind: 'more', text: `+${left} more`, caption: 'MX records', mark: 'none' }, exchange: null, alias: null, addresses: [] });
  if (drawn.length > 0) return drawn;
  const name = result.canonical ?? result.domain ?? result.input;
  if (result.implicit) {
    const addresses = result.implicit.addresses.slice(0, MAX_DRAWN_ADDRESSES).map((a): PathNode => ({ kind: 'address', text: a.address, caption: `IPv${a.family}`, mark: 'none' }));
    return [{
      mx: { kind: 'mx', text: 'no MX', caption: 'mail falls back to A/AAAA', mark: 'warn' },
      exchange: { kind: 'exchange', text: name, caption: 'implicit MX', mark: 'warn' },
      alias: null,
      addresses,
    }];
  }
  const mark: Status = result.status === 'pass' ? 'fail' : result.status;
  return [{ mx: { kind: 'mx', text: 'no MX', caption: mark === 'unknown' ? 'not known' : 'no mail path', mark }, exchange: null, alias: null, addresses: [] }];
}

// Geometry, in SVG user units (CSS pixels): a monospace font of 13 px is about 7.8 px a character.
const CHAR_WIDTH = 7.8;
const NODE_HEIGHT = 40;
const ROW_GAP = 10;
const COLUMN_GAP = 44;
const NODE_PADDING = 12;
const MARGIN = 8;

function shortened(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_DRAWN_NAME_CHARS ? text : `${chars.slice(0, MAX_DRAWN_NAME_CHARS - 1).join('')}…`;
}

function nodeWidth(node: PathNode): number {
  const mark = node.mark === 'none' ? 0 : 2;
  const chars = Math.max([...shortened(node.text)].length + mark, [...node.caption].length * 0.85);
  return Math.ceil(chars * CHAR_WIDTH + 2 * NODE_PADDING);
}

interface Placed {
  node: PathNode;
  x: number;
  y: number;
  width: number;
}

/** A node at its place: the box and its two lines are the same within every node, only the group moves. */
function drawNode({ node, x, y, width }: Placed): Html {
  const mark = nodeMark(node.mark);
  return html`<g class="node mark-${node.mark}" data-kind="${node.kind}" transform="translate(${x} ${y})"><title>${node.text}${node.caption ? ` (${node.caption})` : ''}</title>${[
    html`<rect width="${width}" height="${NODE_HEIGHT}" rx="6"/><text x="${NODE_PADDING}" y="17" class="node-text">`,
    html`${mark ? html`<tspan class="node-mark">${mark} </tspan>` : ''}${shortened(node.text)}</text><text x="${NODE_PADDING}" y="32" class="node-caption">${node.caption}</text>`,
  ]}</g>`;
}

function edge(from: Placed, to: Placed): Html {
  const x1 = from.x + from.width;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_HEIGHT / 2;
  const middle = (x1 + x2) / 2;
  return html`<path class="edge mark-${to.node.mark}" d="M${x1} ${y1} C${middle} ${y1} ${middle} ${y2} ${x2} ${y2}"/>`;
}

/** A one-sentence account of the drawing, for screen readers (the same facts as the MX panel's lines). */
function describe(result: DomainResult, drawn: Branch[]): string {
  const parts = drawn.map((b) => [
    b.mx.text, b.exchange ? `${b.exchange.text} (${b.exchange.caption})` : '', b.alias ? `CNAME ${b.alias.text}` : '', b.addresses.map((a) => a.text).join(', '),
  ].filter((p) => p !== '').join(' → '));
  return `${result.domain ?? result.input}: ${parts.join('; ')}`;
}

/** The drawing of one domain's mail path: an SVG in a figure, with a title and a description. */
export function mailPathDrawing(result: DomainResult, id: string): Html {
  const drawn = branches(result);
  const domain: PathNode = {
    kind: 'domain',
    text: result.domain ?? result.input,
    caption: result.canonical && result.canonical !== result.domain ? `${result.status} · alias of ${result.canonical}` : result.status,
    mark: result.status,
  };
  // A column for the canonical names only when some exchange is an alias; the others' edges run past it.
  const hasAlias = drawn.some((b) => b.alias !== null);
  const columns: PathNode[][] = [[domain], drawn.map((b) => b.mx), drawn.flatMap((b) => (b.exchange ? [b.exchange] : [])),
    ...(hasAlias ? [drawn.flatMap((b) => (b.alias ? [b.alias] : []))] : []), drawn.flatMap((b) => b.addresses)];
  const widths = columns.map((nodes) => Math.max(0, ...nodes.map(nodeWidth)));
  const xs = [MARGIN];
  for (let i = 1; i < widths.length; i++) xs.push(xs[i - 1]! + widths[i - 1]! + COLUMN_GAP);
  const at = (node: PathNode, column: number, y: number): Placed => ({ node, x: xs[column]!, y, width: widths[column]! });
  const rowsOf = (b: Branch): number => Math.max(1, b.addresses.length);
  const rowY = (row: number): number => MARGIN + row * (NODE_HEIGHT + ROW_GAP);
  const middleOf = (first: number, rows: number): number => (rowY(first) + rowY(first + rows - 1)) / 2;
  const totalRows = drawn.reduce((sum, b) => sum + rowsOf(b), 0);
  const root = at(domain, 0, middleOf(0, totalRows));
  const placed: Placed[] = [root];
  const edges: Html[] = [];
  const link = (from: Placed, to: Placed): Placed => {
    placed.push(to);
    edges.push(edge(from, to));
    return to;
  };
  let row = 0;
  for (const b of drawn) {
    const rows = rowsOf(b);
    const y = middleOf(row, rows);
    const mx = link(root, at(b.mx, 1, y));
    if (b.exchange) {
      const exchange = link(mx, at(b.exchange, 2, y));
      const last = b.alias ? link(exchange, at(b.alias, 3, y)) : exchange;
      b.addresses.forEach((node, i) => link(last, at(node, columns.length - 1, rowY(row + i))));
    }
    row += rows;
  }
  const width = Math.ceil(Math.max(...placed.map((p) => p.x + p.width)) + MARGIN);
  const height = Math.ceil(rowY(totalRows - 1) + NODE_HEIGHT + MARGIN);
  return html`<figure class="mail-path"><figcaption id="${id}-title">Mail path of ${result.domain ?? result.input}</figcaption><div class="drawing">${
    html`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="${id}-title ${id}-desc" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
  }<desc id="${id}-desc">${describe(result, drawn)}</desc>${edges}${placed.map(drawNode)}</svg></div></figure>`;
}
