/**
 * A TLS server as a model, for the scan's strategy without a network: what versions, suites and
 * groups it takes, whose order it follows, whether it signs with SHA-1. `handshakeWith(model)` answers
 * an offer the way such a server would, and records every offer.
 *
 *   const server = simulatedServer({ versions: ['TLSv1.2'], suites: { 'TLSv1.2': ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } });
 *   const scan = await scanTls(server.handshake);
 *   server.offers.length === scan.handshakes;
 */
import type { HandshakeOutcome, NegotiatedTls } from '../../src/smtp/starttls.js';
import type { SmtpFailure } from '../../src/smtp/session.js';
import type { TlsFacts } from '../../src/tls/certificate.js';
import type { TlsVersion } from '../../src/tls/cipher-suites.js';
import type { TlsOffer } from '../../src/tls/offer.js';

export interface ServerModel {
  starttls?: boolean;
  versions: TlsVersion[];
  /** Per version, the suites it takes in its own order of preference (IANA names). */
  suites: Partial<Record<TlsVersion, string[]>>;
  /** Pick by its own order (else the client's). */
  serverOrder?: boolean;
  /** ECDHE groups it takes, in its order (IANA names); default x25519 and secp256r1. */
  groups?: string[];
  /** Signs with SHA-1 when that is all the client offers. */
  sha1?: boolean;
  /** The chain every accepted handshake presents; default none (as with anonymous suites). */
  certificates?: TlsFacts;
  /** From the Nth handshake on (1-based), fail this way instead of answering. */
  failFrom?: { handshake: number; failure: SmtpFailure };
}

export interface SimulatedServer {
  handshake: (offer: TlsOffer) => Promise<HandshakeOutcome>;
  offers: TlsOffer[];
}

const NO_CERTIFICATES: TlsFacts = {
  protocol: 'unknown', cipher: 'unknown', chain: [], trust: { verified: false, code: 'NONE', reason: 'no certificate' }, name: { matches: false, reason: 'no certificate' },
};

export function simulatedServer(model: ServerModel): SimulatedServer {
  const offers: TlsOffer[] = [];
  const groups = model.groups ?? ['x25519', 'secp256r1'];
  const handshake = async (offer: TlsOffer): Promise<HandshakeOutcome> => {
    offers.push(offer);
    if (model.failFrom && offers.length >= model.failFrom.handshake) return { state: 'failed', failure: model.failFrom.failure };
    if (model.starttls === false) return { state: 'no-starttls' };
    if (!model.versions.includes(offer.version)) return { state: 'refused', reason: 'protocol version' };
    const offered = offer.suites.map((suite) => suite.iana);
    const takes = model.suites[offer.version] ?? [];
    const common = model.serverOrder ? takes.filter((s) => offered.includes(s)) : offered.filter((s) => takes.includes(s));
    const ecdhe = (suite: string): boolean => offer.version === 'TLSv1.3' || suite.startsWith('TLS_ECDHE_');
    const offeredGroups = offer.groups?.map((g) => g.name);
    const group = (offeredGroups === undefined ? groups : groups.filter((g) => offeredGroups.includes(g)))[0];
    const usable = common.filter((suite) => !ecdhe(suite) || group !== undefined);
    if (usable.length === 0) return { state: 'refused', reason: 'handshake failure' };
    if (offer.signatureAlgorithms && !model.sha1) return { state: 'refused', reason: 'no shared signature algorithm' };
    const suite = usable[0]!;
    const negotiated: NegotiatedTls = {
      protocol: offer.version, suite,
      keyExchange: ecdhe(suite) ? { kind: 'ecdhe', group: group!, size: 256 } : suite.startsWith('TLS_DHE_') ? { kind: 'dhe', group: null, size: 1024 } : null,
      certificates: model.certificates ?? NO_CERTIFICATES,
      ocspStapled: offer.requestOcsp ? false : null,
    };
    return { state: 'accepted', negotiated };
  };
  return { handshake, offers };
}
