// dns-packet exports its per-type RDATA codecs, which @types/dns-packet leaves out.
import 'dns-packet';

declare module 'dns-packet' {
  /** AAAA RDATA; `offset` is where RDLENGTH starts (the address follows it), as dns-packet's codecs take it. */
  export const aaaa: { decode(buf: Buffer, offset: number): string };
}
