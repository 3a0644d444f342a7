/**
 * A strict reader for the XML mxlint writes (JUnit reports): a declaration, elements, double-quoted
 * attributes, text, character and the five predefined entity references. Anything else — a stray
 * "<" or "&", an unclosed or mismatched tag, a character XML 1.0 forbids — throws with where it is.
 * Enough to prove the report is well-formed and to walk it in assertions; no DTDs, CDATA or comments.
 */

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/u;
const NAME = /^[A-Za-z_][\w.-]*/;

function decode(raw: string, where: number): string {
  if (FORBIDDEN.test(raw)) throw new Error(`character XML forbids near offset ${where}`);
  if (/<|&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(raw)) throw new Error(`stray < or & near offset ${where}: ${raw.slice(0, 40)}`);
  return raw.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, entity: string) =>
    entity.startsWith('#x') || entity.startsWith('#X') ? String.fromCodePoint(parseInt(entity.slice(2), 16))
      : entity.startsWith('#') ? String.fromCodePoint(Number(entity.slice(1))) : ENTITIES[entity]!);
}

export function parseXml(text: string): XmlElement {
  let at = 0;
  const declaration = /^<\?xml [^?]*\?>\s*/.exec(text);
  if (declaration) at = declaration[0].length;

  function element(): XmlElement {
    if (text[at] !== '<') throw new Error(`element expected at offset ${at}`);
    at++;
    const name = NAME.exec(text.slice(at))?.[0];
    if (name === undefined) throw new Error(`tag name expected at offset ${at}`);
    at += name.length;
    const attributes: Record<string, string> = {};
    for (;;) {
      const space = /^\s*/.exec(text.slice(at))![0];
      at += space.length;
      if (text.startsWith('/>', at)) {
        at += 2;
        return { name, attributes, children: [], text: '' };
      }
      if (text[at] === '>') {
        at++;
        break;
      }
      const attribute = /^([A-Za-z_][\w.-]*)="([^"]*)"/.exec(text.slice(at));
      if (attribute === null || space === '') throw new Error(`attribute expected at offset ${at} in <${name}>`);
      if (attribute[1]! in attributes) throw new Error(`attribute ${attribute[1]} twice in <${name}>`);
      attributes[attribute[1]!] = decode(attribute[2]!, at);
      at += attribute[0].length;
    }
    const children: XmlElement[] = [];
    let own = '';
    for (;;) {
      const next = text.indexOf('<', at);
      if (next === -1) throw new Error(`<${name}> is never closed`);
      own += decode(text.slice(at, next), at);
      at = next;
      if (text.startsWith('</', at)) {
        const close = `</${name}>`;
        if (!text.startsWith(close, at)) throw new Error(`expected ${close} at offset ${at}`);
        at += close.length;
        return { name, attributes, children, text: own };
      }
      children.push(element());
    }
  }

  const root = element();
  if (text.slice(at).trim() !== '') throw new Error(`content after the root element at offset ${at}`);
  return root;
}

/** Every element named `name` at any depth below `root`, in document order. */
export function elementsNamed(root: XmlElement, name: string): XmlElement[] {
  return root.children.flatMap((child) => [...(child.name === name ? [child] : []), ...elementsNamed(child, name)]);
}
