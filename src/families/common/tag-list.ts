/**
 * The `name=value; name=value` lists of DKIM (RFC 6376 §3.2) that DMARC, MTA-STS and TLS-RPT records
 * are written in. Each format then judges the tags it knows; this only splits and checks the shape.
 */

export interface Tag {
  name: string;
  value: string;
}

export interface TagList {
  tags: Tag[];
  /** What is wrong with the shape, one sentence each; the tags that could be read are still listed. */
  problems: string[];
}

export interface TagListSyntax {
  /** DKIM allows white space around "="; MTA-STS and TLS-RPT (`v=STSv1`, `rua=`) do not. */
  spaceAroundEquals: boolean;
  /** Which tag names are well formed. */
  tagName: RegExp;
}

/** DKIM's tag-name: ALPHA *ALNUMPUNC (RFC 6376 §3.2). */
export const DKIM_TAG_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The field names of MTA-STS and TLS-RPT records: (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
export const EXTENSION_TAG_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/** DKIM's VALCHAR (%x21-3A / %x3C-7E) with white space between runs of them. */
const TAG_VALUE = /^[\x21-\x3a\x3c-\x7e]+(?:[ \t]+[\x21-\x3a\x3c-\x7e]+)*$/;
const WSP = /^[ \t]+|[ \t]+$/g;

export function parseTagList(text: string, syntax: TagListSyntax): TagList {
  const tags: Tag[] = [];
  const problems: string[] = [];
  const fields = text.split(';');
  // One trailing ";" is allowed by every grammar here.
  if (fields.length > 1 && fields[fields.length - 1]!.replace(WSP, '') === '') fields.pop();
  fields.forEach((raw, index) => {
    const field = raw.replace(WSP, '');
    if (field === '') {
      problems.push(`field ${index + 1} is empty (";;" or a leading ";")`);
      return;
    }
    const equals = field.indexOf('=');
    if (equals === -1) {
      problems.push(`"${field}" is not a name=value pair (a ";" missing between two tags?)`);
      return;
    }
    const rawName = field.slice(0, equals);
    const rawValue = field.slice(equals + 1);
    const name = syntax.spaceAroundEquals ? rawName.replace(WSP, '') : rawName;
    const value = syntax.spaceAroundEquals ? rawValue.replace(WSP, '') : rawValue;
    if (!syntax.spaceAroundEquals && (rawName !== rawName.trimEnd() || rawValue !== rawValue.trimStart())) {
      problems.push(`"${field}" has white space around "=", which this record does not allow`);
      return;
    }
    if (!syntax.tagName.test(name)) {
      problems.push(`"${name}" is not a valid tag name`);
      return;
    }
    if (value !== '' && !TAG_VALUE.test(value)) {
      problems.push(`the value of ${name} contains characters a tag value cannot hold (control characters or non-ASCII)`);
      return;
    }
    if (tags.some((tag) => tag.name === name)) {
      problems.push(`tag ${name} appears more than once, which makes the whole record invalid`);
      return;
    }
    tags.push({ name, value });
  });
  return { tags, problems };
}

export function tagValue(list: TagList, name: string): string | undefined {
  return list.tags.find((tag) => tag.name === name)?.value;
}

/** Any spelling of a `v=PREFIX…` first tag: enough to take a TXT record for one of a kind and judge it. */
export function startsWithVersionTag(text: string, prefix: string): boolean {
  return new RegExp(`^[ \\t]*v[ \\t]*=[ \\t]*${prefix}`, 'i').test(text);
}

/**
 * The strict records of MTA-STS and TLS-RPT (RFC 8461 §3.1, RFC 8460 §3): extension-style field
 * names, no white space around "=", and `v=VERSION` first, exactly as written, with nothing before it.
 */
export function parseVersionedRecord(text: string, version: string): TagList {
  const list = parseTagList(text, { spaceAroundEquals: false, tagName: EXTENSION_TAG_NAME });
  const first = list.tags[0];
  if (first?.name === 'v' && first.value === version && !/^[ \t]/.test(text)) return list;
  return { ...list, problems: [...list.problems, `the record must start with v=${version} exactly; senders discard one that does not`] };
}
