export interface RfcLink {
  /** As the catalog writes it: "RFC 5321 §5.1". */
  label: string;
  /** https://www.rfc-editor.org/rfc/rfc5321#section-5.1 */
  url: string;
}

const RFC_REFERENCE = /RFC (\d+)(?: §([\d.]+\d))?/g;

/** Every "RFC NNNN" or "RFC NNNN §X.Y" in a catalog entry, with its link at the RFC Editor. */
export function rfcLinks(rfc: string): RfcLink[] {
  return [...rfc.matchAll(RFC_REFERENCE)].map(([label, number, section]) => ({
    label,
    url: `https://www.rfc-editor.org/rfc/rfc${number}${section === undefined ? '' : `#section-${section}`}`,
  }));
}
