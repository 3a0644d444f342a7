/**
 * The one way the HTML report writes anything: markup is made only by the `html` tag, whose literal
 * parts are ours and whose every interpolated string is escaped for HTML. Text from DNS, files,
 * servers and input lines (a TXT record holding `<script>`) can only ever land as text, in element
 * content and in quoted attribute values alike. This is another escaping than the terminal one
 * (core/escape.ts), which `createReporter` has already applied to every string of a result.
 */

const MARKUP = Symbol('markup');

/** HTML this module vouches for: made by `html` or one of the builders below, never from a bare string. */
export interface Html {
  readonly [MARKUP]: string;
}

/** What `html` takes between its literal parts: text (escaped), numbers, markup, lists of them; nothing for null, undefined and false. */
export type HtmlValue = string | number | Html | null | undefined | false | readonly HtmlValue[];

function markup(text: string): Html {
  return { [MARKUP]: text };
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

/** Text as HTML shows it: safe in element content and in an attribute value in single or double quotes. */
export function escapeHtml(text: string): string {
  // Most text has nothing to escape: a test is cheaper than a replace that finds nothing.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (char) => ENTITIES[char]!) : text;
}

function valueMarkup(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(valueMarkup).join('');
  return (value as Html)[MARKUP];
}

/**
 * Markup from a template: `html\`<li class="x">${name}</li>\``. Literal parts are written as they
 * are (they are source code); every value is escaped unless it is markup already. Attribute values
 * must stand in quotes.
 */
export function html(literals: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let text = literals[0]!;
  for (let i = 0; i < values.length; i++) text += valueMarkup(values[i]!) + literals[i + 1]!;
  return markup(text);
}

/** The text of markup, to write out. */
export function markupText(value: HtmlValue): string {
  return valueMarkup(value);
}

/**
 * Characters that would end or confuse a `<script>` data block (`</script>`, `<!--`) or that some
 * parsers take as line ends, as JSON `\uXXXX` escapes: JSON.parse reads back the same value.
 */
const NOT_IN_SCRIPT = /[<>&\u2028\u2029]/g;

/** JSON for the content of a `<script type="application/json">` data block: the element cannot be closed from inside it. */
export function jsonData(value: unknown): Html {
  return markup(JSON.stringify(value).replace(NOT_IN_SCRIPT, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Base64 (`A-Z a-z 0-9 + / =`): nothing in it is markup. For binary data blocks. */
export function base64Data(bytes: Uint8Array): Html {
  return markup(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'));
}

/**
 * Our own stylesheet or script, to stand inside `<style>` or `<script>`: refused if it could close
 * its element, since its hash in the Content-Security-Policy is of exactly this text.
 */
export function ownCode(code: string, element: 'style' | 'script'): Html {
  if (code.toLowerCase().includes(`</${element}`)) throw new Error(`the report's own ${element} holds "</${element}"`);
  return markup(code);
}
