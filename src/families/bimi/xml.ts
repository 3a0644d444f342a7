/**
 * A small strict XML reader (XML 1.0 and Namespaces in XML) for the one XML document mxlint reads: a
 * BIMI logo, written by whoever owns the domain. Well-formedness errors end the reading with the
 * line and what is wrong; nothing is fetched or run. A DOCTYPE's internal subset is read for its
 * general entities only, expanded within a budget, so a "billion laughs" document costs a few
 * thousand steps; external and parameter entities, entities that hold markup and attribute defaults
 * (ATTLIST, which add attributes no tag shows) are refused.
 */

export interface XmlAttribute {
  /** As written, prefix included: "xlink:href". */
  name: string;
  local: string;
  /** The namespace URI its prefix is bound to; null for an unprefixed attribute. */
  namespace: string | null;
  value: string;
}

export interface XmlElement {
  name: string;
  local: string;
  /** The namespace URI of its prefix, or of the default namespace; null for none. */
  namespace: string | null;
  attributes: XmlAttribute[];
  children: XmlNode[];
  /** Line of its start tag, from 1. */
  line: number;
}

export type XmlNode = XmlElement | { text: string };

/** A processing instruction (`<?target data?>`), which some readers act on (`xml-stylesheet`). */
export interface XmlInstruction {
  target: string;
  data: string;
  line: number;
}

export type XmlReading =
  | { ok: true; root: XmlElement; instructions: XmlInstruction[] }
  | { ok: false; problem: string };

/**
 * Replacement text read while expanding entity references, each reference counted as one more: an
 * honest document uses a few hundred (Illustrator's namespace entities); nested references that
 * would multiply past this are refused before they cost anything.
 */
export const MAX_ENTITY_EXPANSION_CHARS = 100_000;
/** Entities expanded inside entities: a chain longer than this is refused, which bounds the reader's stack. */
export const MAX_ENTITY_DEPTH = 16;
/** Elements nested in elements: logos are shallow; this bounds the reader's stack. */
export const MAX_ELEMENT_DEPTH = 256;

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy');
/** XML 1.0 Char: what a document may hold at all. */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

class XmlError extends Error {}

type Entity = { kind: 'internal'; value: string } | { kind: 'external' };

interface RawAttribute { name: string; value: string }

class Reader {
  private i = 0;
  private readonly entities = new Map<string, Entity>();
  private expansionLeft = MAX_ENTITY_EXPANSION_CHARS;
  readonly instructions: XmlInstruction[] = [];
  /** Where each line ends, for telling the line of a place. */
  private readonly lineEnds: number[] = [];

  constructor(private readonly text: string) {
    for (let j = text.indexOf('\n'); j !== -1; j = text.indexOf('\n', j + 1)) this.lineEnds.push(j);
  }

  private fail(message: string, at = this.i): never {
    throw new XmlError(`line ${this.lineAt(at)}: ${message}`);
  }

  lineAt(at: number): number {
    let low = 0;
    let high = this.lineEnds.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.lineEnds[middle]! < at) low = middle + 1;
      else high = middle;
    }
    return low + 1;
  }

  private startsWith(s: string): boolean {
    return this.text.startsWith(s, this.i);
  }

  private expect(s: string, what: string): void {
    if (!this.startsWith(s)) this.fail(`${what} expected`);
    this.i += s.length;
  }

  private space(): boolean {
    const start = this.i;
    while (this.i < this.text.length && ' \t\n'.includes(this.text[this.i]!)) this.i++;
    return this.i > start;
  }

  private name(): string {
    NAME.lastIndex = this.i;
    const match = NAME.exec(this.text);
    if (!match) this.fail('a name expected');
    this.i += match[0].length;
    return match[0];
  }

  /** Up to and past `end`; what lies before it. */
  private until(end: string, what: string): string {
    const at = this.text.indexOf(end, this.i);
    if (at === -1) this.fail(`${what} is not closed with "${end}"`);
    const body = this.text.slice(this.i, at);
    this.i = at + end.length;
    return body;
  }

  private quoted(what: string): string {
    const quote = this.text[this.i];
    if (quote !== '"' && quote !== "'") this.fail(`${what}: a quoted value expected`);
    this.i++;
    return this.until(quote, what);
  }

  read(): XmlElement {
    if (this.startsWith('<?xml') && /[\s?]/.test(this.text[this.i + 5] ?? '')) this.xmlDeclaration();
    this.misc();
    if (this.startsWith('<!DOCTYPE')) {
      this.doctype();
      this.misc();
    }
    if (!this.startsWith('<')) this.fail(this.i >= this.text.length ? 'no root element' : 'text before the root element');
    const root = this.element(new Map([['xml', XML_NAMESPACE]]), 1);
    this.misc();
    if (this.i < this.text.length) this.fail('content after the root element');
    return root;
  }

  private xmlDeclaration(): void {
    const start = this.i;
    const body = this.until('?>', 'the XML declaration');
    const encoding = /\sencoding\s*=\s*["']([^"']*)["']/.exec(body)?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) this.fail(`the XML declaration names the encoding ${encoding}; only UTF-8 is read`, start);
  }

  /** Comments, processing instructions and white space, between the top-level parts. */
  private misc(): void {
    for (;;) {
      this.space();
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<?')) this.processingInstruction();
      else return;
    }
  }

  private comment(): void {
    this.i += 4;
    const body = this.until('-->', 'a comment');
    if (body.includes('--') || body.endsWith('-')) this.fail('"--" inside a comment');
  }

  private processingInstruction(): void {
    const start = this.i;
    this.i += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('an XML declaration that is not at the very start');
    this.instructions.push({ target, data: this.until('?>', 'a processing instruction').trim(), line: this.lineAt(start) });
  }

  private doctype(): void {
    this.i += '<!DOCTYPE'.length;
    if (!this.space()) this.fail('white space expected after <!DOCTYPE');
    this.name();
    this.space();
    if (this.startsWith('SYSTEM') || this.startsWith('PUBLIC')) {
      // An external DTD: named, never fetched.
      this.externalId();
      this.space();
    }
    if (this.startsWith('[')) {
      this.i++;
      this.internalSubset();
      this.space();
    }
    this.expect('>', '">" closing the DOCTYPE');
  }

  private externalId(): void {
    const publicId = this.startsWith('PUBLIC');
    this.i += 6;
    this.space();
    this.quoted('the DOCTYPE identifier');
    if (publicId) {
      this.space();
      this.quoted('the DOCTYPE system identifier');
    }
  }

  private internalSubset(): void {
    for (;;) {
      this.space();
      if (this.startsWith(']')) {
        this.i++;
        return;
      }
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<?')) this.processingInstruction();
      else if (this.startsWith('<!ENTITY')) this.entityDeclaration();
      else if (this.startsWith('<!ATTLIST')) this.fail('the DOCTYPE declares attribute defaults (ATTLIST), which add attributes no tag shows; they are refused');
      else if (this.startsWith('<!ELEMENT') || this.startsWith('<!NOTATION')) this.skipDeclaration();
      else if (this.startsWith('%')) this.fail('a parameter entity reference in the DOCTYPE; parameter entities are refused');
      else this.fail(this.i >= this.text.length ? 'the DOCTYPE is not closed' : 'a declaration expected in the DOCTYPE');
    }
  }

  /** An element or notation declaration: read past, quotes respected. */
  private skipDeclaration(): void {
    while (this.i < this.text.length && this.text[this.i] !== '>') {
      if (this.text[this.i] === '"' || this.text[this.i] === "'") this.quoted('a declaration');
      else this.i++;
    }
    this.expect('>', '">" closing a declaration');
  }

  private entityDeclaration(): void {
    this.i += '<!ENTITY'.length;
    if (!this.space()) this.fail('white space expected after <!ENTITY');
    if (this.startsWith('%')) this.fail('a parameter entity declaration; parameter entities are refused');
    const name = this.name();
    this.space();
    let entity: Entity;
    if (this.startsWith('SYSTEM') || this.startsWith('PUBLIC')) {
      this.externalId();
      this.space();
      if (this.startsWith('NDATA')) {
        this.i += 5;
        this.space();
        this.name();
      }
      entity = { kind: 'external' };
    } else {
      const value = this.quoted(`the value of entity ${name}`);
      if (value.includes('%')) this.fail(`entity ${name} refers to a parameter entity; parameter entities are refused`);
      entity = { kind: 'internal', value };
    }
    this.space();
    this.expect('>', `">" closing the declaration of entity ${name}`);
    // XML 1.0 §4.2: the first declaration of a name binds.
    if (!this.entities.has(name)) this.entities.set(name, entity);
  }

  /** Character data or an attribute value with its references replaced; `open` are the entities being expanded. */
  private resolve(raw: string, at: number, open: readonly string[]): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s<]*)(;?)/g, (_, ref: string, semicolon: string) => {
      if (semicolon === '') this.fail('"&" that starts no reference (write &amp;)', at);
      if (ref.startsWith('#')) return this.characterReference(ref, at);
      const predefined = PREDEFINED[ref];
      if (predefined !== undefined) return predefined;
      const entity = this.entities.get(ref);
      if (entity === undefined) this.fail(`entity &${ref}; is not declared`, at);
      if (entity.kind === 'external') this.fail(`entity &${ref}; is external: a reference to another document, which is refused`, at);
      if (open.includes(ref)) this.fail(`entity &${ref}; refers to itself`, at);
      if (open.length >= MAX_ENTITY_DEPTH) this.fail(`entities nested more than ${MAX_ENTITY_DEPTH} deep`, at);
      this.expansionLeft -= entity.value.length + 1;
      if (this.expansionLeft < 0) this.fail(`entity references expand past ${MAX_ENTITY_EXPANSION_CHARS} characters (an entity expansion bomb?)`, at);
      const expanded = this.resolve(entity.value, at, [...open, ref]);
      if (expanded.includes('<')) this.fail(`entity &${ref}; holds markup, which is refused`, at);
      return expanded;
    });
  }

  private characterReference(ref: string, at: number): string {
    const code = /^#x[0-9a-fA-F]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? Number(ref.slice(1)) : NaN;
    const char = Number.isNaN(code) || code > 0x10ffff ? null : String.fromCodePoint(code);
    if (char === null || NOT_XML_CHAR.test(char)) this.fail(`&${ref}; is not a character reference to an XML character`, at);
    return char;
  }

  private element(scope: ReadonlyMap<string, string>, depth: number): XmlElement {
    if (depth > MAX_ELEMENT_DEPTH) this.fail(`elements nested more than ${MAX_ELEMENT_DEPTH} deep`);
    const start = this.i;
    this.i++;
    const name = this.name();
    const raw: RawAttribute[] = [];
    for (;;) {
      const spaced = this.space();
      if (this.startsWith('/>') || this.startsWith('>')) break;
      if (!spaced) this.fail(`white space expected between the attributes of <${name}>`);
      const at = this.i;
      const attribute = this.name();
      this.space();
      this.expect('=', `"=" after attribute ${attribute}`);
      this.space();
      const value = this.quoted(`attribute ${attribute}`);
      if (value.includes('<')) this.fail(`"<" in the value of attribute ${attribute}`, at);
      if (raw.some((a) => a.name === attribute)) this.fail(`attribute ${attribute} appears twice in <${name}>`, at);
      raw.push({ name: attribute, value: this.resolve(value, at, []).replace(/[\t\n\r]/g, ' ') });
    }
    const inner = new Map(scope);
    for (const { name: attribute, value } of raw) {
      if (attribute === 'xmlns') inner.set('', value);
      else if (attribute.startsWith('xmlns:')) {
        if (value === '') this.fail(`${attribute}="" undeclares a prefix, which XML 1.0 namespaces do not allow`, start);
        inner.set(attribute.slice(6), value);
      }
    }
    const element: XmlElement = {
      name, ...this.qualify(name, inner, true, start),
      attributes: raw.map((a) => ({ name: a.name, value: a.value, ...this.qualify(a.name, inner, false, start) })),
      children: [], line: this.lineAt(start),
    };
    const expanded = element.attributes.map((a) => `${a.namespace ?? ''} ${a.local}`);
    if (new Set(expanded).size !== expanded.length) this.fail(`<${name}> has two attributes of the same name in the same namespace`, start);
    if (this.startsWith('/>')) {
      this.i += 2;
      return element;
    }
    this.i++;
    this.content(element, inner, depth);
    return element;
  }

  /** The local name and namespace of an element or attribute name in `scope`. */
  private qualify(name: string, scope: ReadonlyMap<string, string>, isElement: boolean, at: number): { local: string; namespace: string | null } {
    const colon = name.indexOf(':');
    if (colon === -1) {
      if (!isElement) return { local: name, namespace: name === 'xmlns' ? XMLNS_NAMESPACE : null };
      const namespace = scope.get('');
      return { local: name, namespace: namespace === undefined || namespace === '' ? null : namespace };
    }
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    if (local === '' || local.includes(':')) this.fail(`${name} is not a qualified name`, at);
    if (prefix === 'xmlns') return { local, namespace: XMLNS_NAMESPACE };
    const namespace = scope.get(prefix);
    if (namespace === undefined) this.fail(`the prefix ${prefix} of ${name} is not declared`, at);
    return { local, namespace };
  }

  private content(element: XmlElement, scope: ReadonlyMap<string, string>, depth: number): void {
    let text = '';
    const flush = (): void => {
      if (text !== '') element.children.push({ text });
      text = '';
    };
    for (;;) {
      const lt = this.text.indexOf('<', this.i);
      if (lt === -1) this.fail(`<${element.name}> (line ${element.line}) is not closed`, this.text.length);
      const chars = this.text.slice(this.i, lt);
      if (chars.includes(']]>')) this.fail('"]]>" in text');
      text += this.resolve(chars, this.i, []);
      this.i = lt;
      if (this.startsWith('</')) {
        this.i += 2;
        const name = this.name();
        if (name !== element.name) this.fail(`</${name}> closes <${element.name}> (line ${element.line})`);
        this.space();
        this.expect('>', `">" closing </${name}>`);
        flush();
        return;
      }
      if (this.startsWith('<!--')) this.comment();
      else if (this.startsWith('<![CDATA[')) {
        this.i += 9;
        text += this.until(']]>', 'a CDATA section');
      } else if (this.startsWith('<?')) this.processingInstruction();
      else if (this.startsWith('<!')) this.fail('a declaration inside an element');
      else {
        flush();
        element.children.push(this.element(scope, depth + 1));
      }
    }
  }
}

/** Reads one XML document from its text (already decoded from UTF-8, a byte-order mark allowed). */
export function readXml(source: string): XmlReading {
  const text = (source.startsWith('\uFEFF') ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  const bad = NOT_XML_CHAR.exec(text);
  const reader = new Reader(text);
  if (bad !== null) return { ok: false, problem: `line ${reader.lineAt(bad.index)}: character U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} cannot appear in XML` };
  try {
    return { ok: true, root: reader.read(), instructions: reader.instructions };
  } catch (error) {
    if (error instanceof XmlError) return { ok: false, problem: error.message };
    throw error;
  }
}

/** The text of an element's own text children and of all its descendants, in order. */
export function textContent(element: XmlElement): string {
  return element.children.map((child) => ('text' in child ? child.text : textContent(child))).join('');
}
