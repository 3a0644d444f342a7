import { gunzipSync } from 'node:zlib';
import { isUtf8 } from 'node:buffer';
import { readXml, textContent } from './xml.js';
import type { XmlElement } from './xml.js';

/**
 * A BIMI logo (the Indicator) against the SVG Tiny Portable/Secure profile
 * (draft-svg-tiny-ps-abrotman §2): SVG Tiny 1.2 with `baseProfile="tiny-ps"`, a `<title>`, no x or y
 * on the root, and nothing that runs, moves, reacts or reaches out — no script, animation, event
 * handler, hyperlink, raster image, foreign object, nor any reference but to a fragment of the
 * document itself. The document is read as XML by mxlint's own strict reader, never rendered.
 */

export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';

/** draft-svg-tiny-ps-abrotman §2.1: a logo should not exceed 32 KiB; receivers may refuse a larger one. */
export const MAX_INDICATOR_SVG_BYTES = 32 * 1024;
/** An SVGZ logo is decompressed up to this size only: a gzip bomb ends there. */
export const MAX_INDICATOR_INFLATED_BYTES = 256 * 1024;

const GZIP_MAGIC = [0x1f, 0x8b];

export interface IndicatorReading {
  /** Served gzip-compressed (SVGZ). */
  compressed: boolean;
  /** Octets of the SVG document (after decompression); null when it could not be had. */
  svg: Buffer | null;
  /** The root's `<title>`, trimmed, when there is one. */
  title: string | null;
  /** What keeps it from being an SVG Tiny PS document, one sentence each; empty: nothing. */
  problems: string[];
}

/** The SVG Tiny 1.2 elements the Tiny PS profile keeps. */
const ALLOWED = new Set([
  'svg', 'title', 'desc', 'metadata', 'defs', 'g', 'use', 'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textArea', 'tbreak', 'solidColor', 'linearGradient', 'radialGradient', 'stop',
]);

/** Why the profile leaves an element out, for those it names. */
const REFUSED: Readonly<Record<string, string>> = {
  script: 'a script', handler: 'a script (event handler)', listener: 'an event listener',
  animate: 'animation', animateColor: 'animation', animateMotion: 'animation', animateTransform: 'animation', set: 'animation',
  animation: 'animation', discard: 'animation', mpath: 'animation',
  image: 'an embedded or linked raster image', foreignObject: 'foreign (non-SVG) content', a: 'a hyperlink',
  audio: 'multimedia', video: 'multimedia', prefetch: 'a fetch of another resource',
};

/** Problems of one kind, in document order, said once with where they first are and how many more. */
class Problems {
  private readonly seen = new Map<string, { first: string; line: number; more: number }>();

  add(key: string, text: string, line: number): void {
    const known = this.seen.get(key);
    if (known) known.more++;
    else this.seen.set(key, { first: text, line, more: 0 });
  }

  list(): string[] {
    return [...this.seen.values()].map(({ first, line, more }) => `${first} (line ${line}${more > 0 ? `, and ${more} more` : ''})`);
  }
}

/** A reference to anything but a fragment of this document ("#id"): another file, a URL, a data: URI. */
function isExternal(reference: string): boolean {
  return !reference.trim().startsWith('#');
}

/** The `url(…)` references in a presentation attribute or style, their targets unquoted. */
function urlReferences(value: string): string[] {
  return [...value.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)].map((match) => match[2]!);
}

function checkAttributes(element: XmlElement, problems: Problems): void {
  for (const attribute of element.attributes) {
    if (attribute.namespace === null && /^on/i.test(attribute.local)) {
      problems.add(`event:${attribute.local}`, `<${element.name}> has the event handler ${attribute.name}= (interactivity)`, element.line);
    }
    const isHref = attribute.local === 'href' && (attribute.namespace === XLINK_NAMESPACE || attribute.namespace === null);
    if (isHref && isExternal(attribute.value)) {
      problems.add(`href:${element.local}`, `<${element.name}> refers to "${attribute.value.slice(0, 80)}" (${attribute.name}=), outside the document`, element.line);
    }
    for (const target of urlReferences(attribute.value).filter(isExternal)) {
      problems.add(`url:${element.local}:${attribute.local}`, `<${element.name}> refers to url(${target.slice(0, 80)}) in ${attribute.name}=, outside the document`, element.line);
    }
  }
}

function checkElement(element: XmlElement, problems: Problems, isRoot: boolean): void {
  if (element.namespace !== SVG_NAMESPACE) {
    problems.add(`foreign:${element.name}`, `<${element.name}> is not an SVG element (namespace ${element.namespace ?? 'none'})`, element.line);
    return;
  }
  const refused = REFUSED[element.local];
  if (refused !== undefined) problems.add(`element:${element.local}`, `<${element.name}> is ${refused}, which SVG Tiny PS does not allow`, element.line);
  else if (!ALLOWED.has(element.local) || (element.local === 'svg' && !isRoot)) {
    problems.add(`element:${element.local}`, `<${element.name}> is not an element of SVG Tiny PS`, element.line);
  }
  checkAttributes(element, problems);
  // What metadata holds (RDF, a creator tool's notes) is not drawn, and not judged.
  if (element.local === 'metadata') return;
  for (const child of element.children) if (!('text' in child)) checkElement(child, problems, false);
}

function attributeValue(element: XmlElement, local: string): string | undefined {
  return element.attributes.find((a) => a.namespace === null && a.local === local)?.value;
}

/** The profile's requirements of the root `<svg>` (§2.1, §2.2): what it must say, and carry. */
function checkRoot(root: XmlElement, problems: string[]): string | null {
  const baseProfile = attributeValue(root, 'baseProfile');
  if (baseProfile !== 'tiny-ps') problems.push(baseProfile === undefined ? '<svg> has no baseProfile="tiny-ps"' : `<svg> has baseProfile="${baseProfile}", not "tiny-ps"`);
  const version = attributeValue(root, 'version');
  if (version !== '1.2') problems.push(version === undefined ? '<svg> has no version="1.2"' : `<svg> has version="${version}", not "1.2"`);
  for (const position of ['x', 'y']) {
    if (attributeValue(root, position) !== undefined) problems.push(`<svg> has a ${position}= attribute, which the profile does not allow on the root`);
  }
  const title = root.children.find((child): child is XmlElement => !('text' in child) && child.namespace === SVG_NAMESPACE && child.local === 'title');
  const text = title === undefined ? null : textContent(title).trim();
  if (title === undefined) problems.push('<svg> has no <title> (the brand\'s name)');
  else if (text === '') problems.push('the <title> of <svg> is empty');
  return text === '' ? null : text;
}

/** Reads a served logo: SVGZ decompressed within its bound, UTF-8 decoded, XML read, then the profile checked. */
export function readIndicator(octets: Uint8Array): IndicatorReading {
  const compressed = GZIP_MAGIC.every((octet, i) => octets[i] === octet);
  const none = (problem: string): IndicatorReading => ({ compressed, svg: null, title: null, problems: [problem] });
  let svg: Buffer;
  try {
    svg = compressed ? gunzipSync(octets, { maxOutputLength: MAX_INDICATOR_INFLATED_BYTES }) : Buffer.from(octets);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return none(code === 'ERR_BUFFER_TOO_LARGE'
      ? `it is gzip data that decompresses to more than ${MAX_INDICATOR_INFLATED_BYTES / 1024} KiB`
      : `it starts as gzip data (SVGZ) but does not decompress (${(error as Error).message})`);
  }
  const reading = (problems: string[], title: string | null = null): IndicatorReading => ({ compressed, svg, title, problems });
  if (!isUtf8(svg)) return reading(['it is not UTF-8 text']);
  const xml = readXml(svg.toString('utf8'));
  if (!xml.ok) return reading([`it is not well-formed XML (${xml.problem})`]);
  const { root } = xml;
  if (root.local !== 'svg') return reading([`its root element is <${root.name}>, not <svg>`]);
  if (root.namespace !== SVG_NAMESPACE) return reading([`<svg> is not in the SVG namespace (xmlns="${SVG_NAMESPACE}" missing)`]);
  const problems: string[] = [];
  const title = checkRoot(root, problems);
  // A style sheet named outside the document is an external reference as much as an href.
  for (const instruction of xml.instructions.filter((pi) => pi.target === 'xml-stylesheet')) {
    problems.push(`an xml-stylesheet instruction (line ${instruction.line}) names a style sheet outside the document`);
  }
  const elements = new Problems();
  checkElement(root, elements, true);
  return reading([...problems, ...elements.list()], title);
}
