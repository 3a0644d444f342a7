import type { MailFacts } from '../../facts/mail.js';

/** How one name server answered the zone's SOA, asked directly and without recursion. */
export type Probe =
  | { status: 'authoritative'; serial: number }
  | { status: 'not-authoritative' | 'lame' | 'unreachable'; problem: string };

/** One name server of the zone, as asked. */
export interface ServerView {
  name: string;
  /** "127.0.3.21:53"; null when the name has no address to ask. */
  address: string | null;
  probe: Probe;
  /** The MX facts as this server's own answers give them; null unless it answered authoritatively. */
  mail: MailFacts | null;
}

/** What the authoritative rules judge: the zone, and each of its servers' answers. */
export interface AuthoritativeFacts {
  domain: string;
  zone: string;
  source: 'delegation' | 'given';
  servers: ServerView[];
}

/** "ns1.example.com (127.0.3.21:53)", how messages name a server; with `serial`, its zone version too. */
export function serverLabel(server: Pick<ServerView, 'name' | 'address'>, serial?: number): string {
  const details = [server.address ?? 'no address', ...(serial === undefined ? [] : [`serial ${serial}`])];
  return `${server.name} (${details.join(', ')})`;
}
