/**
 * A whole DNS hierarchy on loopback with real servers: one NSD per address (port 53) serving the zones
 * placed there, delegations generated between them, optionally signed (good, bogus and broken chains),
 * and optionally a validating Unbound in front.
 *
 *   const h = await startHierarchy({
 *     zones: [
 *       { name: '.', address: '127.0.9.2' },
 *       { name: 'test.', address: '127.0.9.3' },
 *       { name: 'example.test.', address: '127.0.9.4', text: 'www A 192.0.2.1',
 *         servers: [{ address: '127.0.9.5', text: olderSerialText }, { address: '127.0.9.9', down: true }] },
 *     ],
 *     dnssec: { sign: ['.', 'test.', 'example.test.'] },
 *     resolver: { address: '127.0.9.53' },
 *   });
 *   // ... query h.resolver.server, or each of h.servers directly
 *   await h.stop();
 *
 * Zone texts are read with `$ORIGIN` set to the zone and `$TTL 300`. Whatever a text lacks is added:
 * the SOA, the apex NS set (`ns1.ZONE` … one per server, `nsN.root-servers.` for the root), the
 * addresses of those names, and in every parent the delegation of each child zone (NS + glue, and the
 * DS when the child is signed) unless the parent's text already has NS records there.
 *
 * Signing happens at every start (signatures expire; signed output is never kept): one ECDSA P-256
 * key per zone signing everything, children before parents so their DS goes into the parent.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalName, isSubdomainOf } from '../../src/dns/name.js';
import { DNS_PORT } from '../../src/dns/server-address.js';
import { readZoneText } from '../../src/dns/zone-file/reader.js';
import { runTool } from './daemon.js';
import { serverSpec, startNsd, type NsdServer } from './nsd.js';
import { isLoopbackV4 } from './ports.js';
import { startUnbound, type UnboundServer } from './unbound.js';

/** Short, so a test that changes nothing between runs never depends on stale caches for long. */
const DEFAULT_TTL = 300;
/** Signature validity: long enough for any test run, short enough to never be mistaken for real. */
const SIGNATURE_VALIDITY = '+2592000';
const KEY_ALGORITHM = 'ECDSAP256SHA256';

export interface HierarchyServerSpec {
  /** Loopback IPv4 address; its NSD listens on port 53. */
  address: string;
  /** This server's zone text; default: the zone's text (e.g. give one server an older serial). */
  text?: string;
  /** Listed in the NS set and glue, but nothing listens there. */
  down?: boolean;
}

export interface HierarchyZoneSpec {
  /** Zone name, with or without the trailing dot; '.' for the root. */
  name: string;
  /** The zone's first server. */
  address: string;
  /** Zone text; names may be relative to the zone. Default: nothing but what is added. */
  text?: string;
  /** Nothing listens at `address` either (with no up server in `servers`, the zone is unreachable). */
  down?: boolean;
  /** Further servers of the zone, all listed in the delegation after `address`. */
  servers?: HierarchyServerSpec[];
}

export interface HierarchyDnssecSpec {
  /** Zones to sign. */
  sign: string[];
  /** Owner names (in signed zones) whose RRSIGs are corrupted, all but the DNSKEY one: answers for them are bogus. */
  bogus?: string[];
  /** Signed zones whose parent publishes a DS for a key that does not sign them instead of the real one. */
  brokenDs?: string[];
}

export interface HierarchyOptions {
  zones: HierarchyZoneSpec[];
  dnssec?: HierarchyDnssecSpec;
  /** A validating Unbound recursing from the root zone's servers (needs a zone '.'). */
  resolver?: { address: string; port?: number; extraServerConfig?: string[] };
  /** Keep the temp dirs after stop(). Default: env MXLINT_KEEP_NSD is set. */
  keepDir?: boolean;
}

export interface HierarchyServer {
  /** Zone name with the trailing dot ('.' for the root). */
  zone: string;
  /** Its name in the NS set, e.g. 'ns2.example.test.'. */
  nsName: string;
  address: string;
  /** "ADDR:53". */
  server: string;
  down: boolean;
}

export interface Hierarchy {
  resolver?: { server: string; address: string; port: number };
  /** Every server of every zone in the order given, `down` ones included. */
  servers: HierarchyServer[];
  /** The root's DS records (Unbound's trust anchor) when the root is signed. */
  rootAnchor?: string;
  /** The zone text each address serves, after additions and signing (for failure messages). */
  zoneTexts: { zone: string; address: string; text: string }[];
  /** Every server's log, labelled. */
  logs(): string;
  stop(): Promise<void>;
}

interface Zone {
  /** With the trailing dot. */
  name: string;
  servers: (HierarchyServer & { text: string })[];
  parent: Zone | undefined;
  signed: boolean;
}

function fqdn(name: string): string {
  const canonical = canonicalName(name.trim());
  return canonical === '.' ? '.' : `${canonical}.`;
}

function labelCount(zone: string): number {
  return zone === '.' ? 0 : zone.split('.').length - 1;
}

function nsName(zone: string, index: number): string {
  return `ns${index + 1}.${zone === '.' ? 'root-servers.' : zone}`;
}

function assertLoopbackV4(address: string, where: string): void {
  if (!isLoopbackV4(address)) {
    throw new Error(`startHierarchy: ${where}: ${address} is not a loopback IPv4 address (127.0.0.0/8)`);
  }
}

function planZones(options: HierarchyOptions): Zone[] {
  const signed = new Set((options.dnssec?.sign ?? []).map(fqdn));
  const zones: Zone[] = [];
  for (const spec of options.zones) {
    const name = fqdn(spec.name);
    if (zones.some((z) => z.name === name)) throw new Error(`startHierarchy: zone ${name} given twice`);
    const specs: HierarchyServerSpec[] = [{ address: spec.address, down: spec.down }, ...(spec.servers ?? [])];
    const servers = specs.map((server, i) => {
      assertLoopbackV4(server.address, `zone ${name}`);
      return {
        zone: name,
        nsName: nsName(name, i),
        address: server.address,
        server: serverSpec(server.address, DNS_PORT),
        down: server.down ?? false,
        text: server.text ?? spec.text ?? '',
      };
    });
    const addresses = servers.map((s) => s.address);
    if (new Set(addresses).size !== addresses.length) throw new Error(`startHierarchy: zone ${name} lists an address twice`);
    zones.push({ name, servers, parent: undefined, signed: signed.has(name) });
  }
  const all = zones.flatMap((z) => z.servers);
  for (const down of all.filter((s) => s.down)) {
    if (all.some((s) => !s.down && s.address === down.address)) {
      throw new Error(`startHierarchy: ${down.address} is down for ${down.zone} but serves another zone`);
    }
  }
  for (const zone of zones) {
    const ancestors = zones.filter((z) => z !== zone && isSubdomainOf(zone.name, z.name));
    zone.parent = ancestors.sort((a, b) => labelCount(b.name) - labelCount(a.name))[0];
  }
  const known = (name: string): Zone | undefined => zones.find((z) => z.name === fqdn(name));
  for (const name of signed) {
    if (known(name) === undefined) throw new Error(`startHierarchy: dnssec.sign names ${name}, which is not a zone given`);
  }
  for (const name of options.dnssec?.brokenDs ?? []) {
    const zone = known(name);
    if (zone === undefined || !zone.signed || zone.parent === undefined) {
      throw new Error(`startHierarchy: dnssec.brokenDs names ${name}, which is not a signed zone with a parent given`);
    }
  }
  for (const owner of options.dnssec?.bogus ?? []) {
    if (!zones.some((z) => z.signed && isSubdomainOf(owner, z.name))) {
      throw new Error(`startHierarchy: dnssec.bogus names ${owner}, which is in no signed zone`);
    }
  }
  const resolver = options.resolver;
  if (resolver !== undefined) {
    assertLoopbackV4(resolver.address, 'resolver');
    if (known('.') === undefined) throw new Error('startHierarchy: a resolver needs a root zone (\'.\') to recurse from');
    if ((resolver.port ?? DNS_PORT) === DNS_PORT && zones.some((z) => z.servers.some((s) => s.address === resolver.address))) {
      throw new Error(`startHierarchy: the resolver address ${resolver.address} is also an authoritative server's`);
    }
  }
  return zones;
}

/** The zone's text as written, with `$ORIGIN` and `$TTL` in front. */
function withOrigin(zone: string, text: string): string {
  return `$ORIGIN ${zone}\n$TTL ${DEFAULT_TTL}\n${text}\n`;
}

/** Records the text lacks (SOA, apex NS, addresses of the NS names) and the delegations of its children. */
function additions(zone: Zone, text: string, children: Zone[], dsFor: Map<string, string>): string[] {
  const parsed = readZoneText(text, { file: `${zone.name} zone text`, origin: zone.name });
  const has = (owner: string, type: string): boolean =>
    parsed.entries.some((e) => e.record.type === type && e.record.name === canonicalName(owner));
  const lines: string[] = [];
  if (!has(zone.name, 'SOA')) {
    lines.push(`${zone.name} SOA ${zone.servers[0]!.nsName} hostmaster.${zone.name === '.' ? 'root-servers.' : zone.name} 1 3600 600 86400 ${DEFAULT_TTL}`);
  }
  if (!has(zone.name, 'NS')) lines.push(...zone.servers.map((s) => `${zone.name} NS ${s.nsName}`));
  for (const server of zone.servers) {
    if (!has(server.nsName, 'A')) lines.push(`${server.nsName} A ${server.address}`);
  }
  for (const child of children) {
    if (has(child.name, 'NS')) continue;
    for (const server of child.servers) lines.push(`${child.name} NS ${server.nsName}`, `${server.nsName} A ${server.address}`);
    const ds = dsFor.get(child.name);
    if (ds !== undefined) lines.push(ds.trim());
  }
  return lines;
}

/** Spoils the signature of every RRSIG owned by `owners` except over DNSKEY (which would spoil the whole zone). */
function corruptSignatures(signedText: string, owners: Set<string>): { text: string; corrupted: Set<string> } {
  const corrupted = new Set<string>();
  const lines = signedText.split('\n').map((line) => {
    // -O full: "owner ttl IN RRSIG covered alg labels origttl expiration inception tag signer signature…"
    const fields = line.trim().split(/\s+/);
    const owner = canonicalName(fields[0] ?? '');
    if (fields[3] !== 'RRSIG' || fields[4] === 'DNSKEY' || !owners.has(owner) || fields.length < 13) return line;
    const signature = fields[12]!;
    fields[12] = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    corrupted.add(owner);
    return fields.join(' ');
  });
  return { text: lines.join('\n'), corrupted };
}

async function tool(file: string, args: string[], cwd: string): Promise<string> {
  const result = await runTool(file, args, { cwd });
  if (result.code !== 0) throw new Error(`startHierarchy: ${file} ${args.join(' ')} failed (exit ${result.code}):\n${result.output}`);
  return result.output;
}

/** A fresh key for `zone` in `dir`; returns its file base name (Kzone.+013+tag). */
async function generateKey(zone: string, dir: string): Promise<string> {
  return (await tool('dnssec-keygen', ['-q', '-a', KEY_ALGORITHM, '-f', 'KSK', '-n', 'ZONE', '-K', dir, zone], dir)).trim();
}

/**
 * Builds every server's final zone text and returns the DS records of every signed zone (the root's
 * is the trust anchor): children first, so each signed child's DS (or, for a
 * broken chain, the DS of a key that signs nothing) is in its parent before the parent is signed.
 */
async function buildZoneTexts(zones: Zone[], dnssec: HierarchyDnssecSpec | undefined, workDir: string): Promise<{ texts: Map<Zone, string[]>; dsFor: Map<string, string> }> {
  const bogus = new Set((dnssec?.bogus ?? []).map(canonicalName));
  const brokenDs = new Set((dnssec?.brokenDs ?? []).map(fqdn));
  const dsFor = new Map<string, string>();
  const corrupted = new Set<string>();
  const texts = new Map<Zone, string[]>();
  const depths = [...new Set(zones.map((z) => labelCount(z.name)))].sort((a, b) => b - a);
  for (const depth of depths) {
    await Promise.all(zones.filter((z) => labelCount(z.name) === depth).map(async (zone) => {
      const zoneDir = mkdtempSync(join(workDir, 'zone-'));
      const children = zones.filter((z) => z.parent === zone);
      const variants = zone.servers.map((server) => {
        const text = withOrigin(zone.name, server.text);
        return `${text}${additions(zone, text, children, dsFor).join('\n')}\n`;
      });
      if (!zone.signed) {
        texts.set(zone, variants);
        return;
      }
      await generateKey(zone.name, zoneDir);
      const signed = await Promise.all(variants.map(async (text, i) => {
        writeFileSync(join(zoneDir, `in${i}`), text);
        await tool('dnssec-signzone', ['-q', '-S', '-z', '-K', zoneDir, '-d', zoneDir, '-O', 'full', '-N', 'keep',
          '-e', SIGNATURE_VALIDITY, '-o', zone.name, '-f', `out${i}`, `in${i}`], zoneDir);
        const result = corruptSignatures(readFileSync(join(zoneDir, `out${i}`), 'utf8'), bogus);
        for (const owner of result.corrupted) corrupted.add(owner);
        return result.text;
      }));
      texts.set(zone, signed);
      if (brokenDs.has(zone.name)) {
        const decoyDir = mkdtempSync(join(workDir, 'decoy-'));
        const decoy = await generateKey(zone.name, decoyDir);
        dsFor.set(zone.name, await tool('dnssec-dsfromkey', ['-a', 'SHA-256', `${decoy}.key`], decoyDir));
      } else {
        dsFor.set(zone.name, readFileSync(join(zoneDir, `dsset-${zone.name}`), 'utf8'));
      }
    }));
  }
  for (const owner of bogus) {
    if (!corrupted.has(owner)) throw new Error(`startHierarchy: dnssec.bogus names ${owner}, which owns no signed record`);
  }
  return { texts, dsFor };
}

export async function startHierarchy(options: HierarchyOptions): Promise<Hierarchy> {
  const zones = planZones(options);
  const keepDir = options.keepDir ?? process.env.MXLINT_KEEP_NSD !== undefined;
  const nsds: NsdServer[] = [];
  let unbound: UnboundServer | undefined;
  const stop = async (): Promise<void> => {
    await Promise.all([...nsds.map((nsd) => nsd.stop()), unbound?.stop()]);
  };
  try {
    // Keys and signer files are needed only until the texts are built: every server gets its own copy.
    const workDir = mkdtempSync(join(tmpdir(), 'mxlint-hierarchy-'));
    const { texts, dsFor } = await buildZoneTexts(zones, options.dnssec, workDir).finally(() => {
      if (!keepDir) rmSync(workDir, { recursive: true, force: true });
    });
    // One NSD per address, serving every zone placed there.
    const byAddress = new Map<string, Record<string, string>>();
    const zoneTexts: Hierarchy['zoneTexts'] = [];
    for (const zone of zones) {
      zone.servers.forEach((server, i) => {
        if (server.down) return;
        const served = byAddress.get(server.address) ?? {};
        served[zone.name] = texts.get(zone)![i]!;
        byAddress.set(server.address, served);
        zoneTexts.push({ zone: zone.name, address: server.address, text: served[zone.name]! });
      });
    }
    const starts = await Promise.allSettled([...byAddress].map(async ([address, served]) => {
      const nsd = await startNsd({ zones: served, host: address, port: DNS_PORT, keepDir });
      nsds.push(nsd);
      return nsd;
    }));
    const failed = starts.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed !== undefined) throw failed.reason;

    const root = zones.find((z) => z.name === '.');
    const rootAnchor = dsFor.get('.');
    if (options.resolver !== undefined && root !== undefined) {
      unbound = await startUnbound({
        address: options.resolver.address,
        port: options.resolver.port ?? DNS_PORT,
        rootHints: root.servers.map((s) => s.address),
        trustAnchor: rootAnchor,
        extraServerConfig: options.resolver.extraServerConfig,
        keepDir,
      });
    }
    const resolver = unbound;
    return {
      ...(resolver === undefined ? {} : { resolver: { server: resolver.server, address: resolver.host, port: resolver.port } }),
      servers: zones.flatMap((z) => z.servers.map(({ text: _text, ...server }) => server)),
      ...(rootAnchor === undefined ? {} : { rootAnchor }),
      zoneTexts,
      logs: () => [
        ...nsds.map((nsd) => `--- nsd ${nsd.server} ---\n${nsd.logs()}`),
        ...(resolver === undefined ? [] : [`--- unbound ${resolver.server} ---\n${resolver.logs()}`]),
      ].join('\n'),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
