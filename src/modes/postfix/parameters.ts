/**
 * Parameter values as Postfix sees them: the main.cf value, else Postfix's built-in default, with
 * `$name`, `${name}` and `$(name)` expanded (and `${name?text}`, `${name:text}`, `$$`), as
 * postconf(5) describes. Only the defaults of the parameters mxlint reads are known; any other name
 * expands to its main.cf value or, like an unset parameter without a default, to nothing.
 */
import type { MainCf } from './main-cf.js';
import type { SourceLocation } from '../../core/finding.js';

/** Deeper nesting than this is a loop in practice ($a = $b, $b = $a); Postfix stops too. */
export const MAX_EXPANSION_DEPTH = 20;

/**
 * Characters one expanded value may reach: a list of thousands of domains fits, a value that doubles
 * at each of 16 levels (`p2 = $p1$p1` …) does not. The expansion stops there, so memory stays flat.
 */
export const MAX_EXPANDED_CHARS = 1_000_000;

/**
 * `$name` references followed to expand one value: real values take a handful; ten references at
 * each of 16 levels would take 10^16, whatever the size they expand to.
 */
export const MAX_EXPANSION_STEPS = 10_000;

/**
 * Built-in defaults (Postfix 3.x, postconf(5)). myhostname has none mxlint can know: Postfix takes the
 * machine's host name. mydomain depends on myhostname and relay_domains on compatibility_level: see
 * `defaultOf`.
 */
const DEFAULTS: Readonly<Record<string, string>> = {
  myorigin: '$myhostname',
  mydestination: '$myhostname, localhost.$mydomain, localhost',
  inet_interfaces: 'all',
  inet_protocols: 'all',
  mynetworks_style: 'subnet',
  virtual_mailbox_domains: '$virtual_mailbox_maps',
  virtual_mailbox_maps: '',
  virtual_alias_domains: '$virtual_alias_maps',
  virtual_alias_maps: '$virtual_maps',
  virtual_maps: '',
  message_size_limit: '10240000',
  smtpd_banner: '$myhostname ESMTP $mail_name',
  mail_name: 'Postfix',
  smtpd_tls_security_level: '',
  smtpd_use_tls: 'no',
  smtpd_enforce_tls: 'no',
  smtpd_tls_cert_file: '',
  smtpd_tls_chain_files: '',
  compatibility_level: '0',
};

export type Expanded =
  | { ok: true; value: string }
  /**
   * Why the value cannot be expanded: it refers back to itself through `$name`s (Postfix cannot expand
   * it either), or it grows past MAX_EXPANDED_CHARS or takes more than MAX_EXPANSION_STEPS references.
   */
  | { ok: false; problem: string };

/** The references left to follow in one expansion. */
interface Budget {
  steps: number;
}

export class PostfixParameters {
  constructor(readonly config: MainCf) {}

  /** Where the parameter is set in main.cf; undefined when it keeps its default. */
  location(name: string): SourceLocation | undefined {
    return this.config.parameters.get(name)?.location;
  }

  /** The unexpanded value: main.cf's, else the default; undefined when neither exists. */
  raw(name: string): string | undefined {
    return this.config.parameters.get(name)?.value ?? this.defaultOf(name);
  }

  private defaultOf(name: string): string | undefined {
    switch (name) {
      case 'mydomain': {
        // "The default is to use $myhostname minus the first component", or "localdomain".
        const host = this.expand('myhostname');
        const dot = host.ok ? host.value.indexOf('.') : -1;
        return dot === -1 ? 'localdomain' : host.ok ? host.value.slice(dot + 1) : undefined;
      }
      case 'relay_domains': {
        // Empty since Postfix 3.0 at compatibility_level 2 and above; $mydestination before.
        const level = this.expand('compatibility_level');
        return level.ok && Number.parseFloat(level.value) >= 2 ? '' : '$mydestination';
      }
      default:
        return DEFAULTS[name];
    }
  }

  /** The value with every `$name` replaced; undefined names expand to nothing, as in Postfix. */
  expand(name: string): Expanded {
    return this.expandNamed(name, [], { steps: MAX_EXPANSION_STEPS });
  }

  private expandNamed(name: string, stack: string[], budget: Budget): Expanded {
    if (stack.includes(name) || stack.length >= MAX_EXPANSION_DEPTH) {
      const loop = [...stack, name].map((n) => `$${n}`).join(' → ');
      return { ok: false, problem: `${loop} refers back to itself, and Postfix stops with "unreasonable macro call nesting"` };
    }
    budget.steps -= 1;
    if (budget.steps < 0) return { ok: false, problem: `it takes more than ${MAX_EXPANSION_STEPS} $name references to expand, the most mxlint follows` };
    return this.expandText(this.raw(name) ?? '', [...stack, name], budget);
  }

  /** Expands the `$` references in `text`, reached through the parameters on `stack`. */
  expandText(text: string, stack: string[] = [], budget: Budget = { steps: MAX_EXPANSION_STEPS }): Expanded {
    let out = '';
    const tooLong = { ok: false, problem: `it expands to more than ${MAX_EXPANDED_CHARS} characters, the most mxlint expands` } as const;
    for (let i = 0; i < text.length; i++) {
      if (out.length > MAX_EXPANDED_CHARS) return tooLong;
      const char = text[i]!;
      if (char !== '$') {
        out += char;
        continue;
      }
      const next = text[i + 1];
      if (next === '$') {
        out += '$';
        i++;
        continue;
      }
      const reference = next === '{' || next === '(' ? braced(text, i + 1) : bare(text, i + 1);
      if (reference === null) {
        out += char;
        continue;
      }
      const value = this.expandNamed(reference.name, stack, budget);
      if (!value.ok) return value;
      if (reference.condition === undefined) out += value.value;
      else {
        // ${name?text}: text when name is non-empty; ${name:text}: text when it is empty.
        const chosen = (value.value !== '') === (reference.condition.kind === '?') ? reference.condition.text : '';
        const expanded = this.expandText(chosen, stack, budget);
        if (!expanded.ok) return expanded;
        out += expanded.value;
      }
      i = reference.end;
    }
    return out.length > MAX_EXPANDED_CHARS ? tooLong : { ok: true, value: out };
  }
}

interface Reference {
  name: string;
  condition?: { kind: '?' | ':'; text: string };
  /** Index of the reference's last character. */
  end: number;
}

function bare(text: string, start: number): Reference | null {
  const match = /^[A-Za-z0-9_]+/.exec(text.slice(start));
  return match ? { name: match[0], end: start + match[0].length - 1 } : null;
}

function braced(text: string, open: number): Reference | null {
  const [opener, closer] = text[open] === '{' ? ['{', '}'] : ['(', ')'];
  // ${name?text} may nest references in its text: find the matching close.
  let depth = 0;
  let close = -1;
  for (let i = open; i < text.length && close === -1; i++) {
    if (text[i] === opener) depth++;
    else if (text[i] === closer && --depth === 0) close = i;
  }
  if (close === -1) return null;
  const inner = text.slice(open + 1, close);
  const match = /^([A-Za-z0-9_]+)(?:([?:])(.*))?$/s.exec(inner);
  if (!match) return null;
  const [, name, kind, conditional] = match;
  return { name: name!, end: close, ...(kind === undefined ? {} : { condition: { kind: kind as '?' | ':', text: conditional ?? '' } }) };
}

/** A list value split as Postfix splits lists: on commas and whitespace. */
export function listItems(value: string): string[] {
  return value.split(/[\s,]+/).filter((item) => item !== '');
}
