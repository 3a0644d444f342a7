import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileBytes, readTextFile } from '../core/files.js';
import { POLICY_PATH } from '../families/mta-sts/collect.js';
import type { DemoWebFile } from './web-server.js';

/** examples/demo.json: what the offline demo stands in for beyond DNS, with the files of examples/ it serves. */

export const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');

export interface DemoConfig {
  signedZones: string[];
  /** Zones no server answers for: the demo's DNS server refuses every question in them. */
  unservedZones: string[];
  /** The SMTP server behind each example exchange: its greeting name and certificate (examples/tls/NAME.pem), or none (no STARTTLS). */
  smtp: Record<string, { greeting: string; certificate: string | null }>;
  /** The web server behind each MTA-STS policy host: its certificate, and the policy file it serves (examples/mta-sts/). */
  mtaSts: Record<string, { certificate: string; policy: string }>;
  /** The web server behind each BIMI logo and evidence host: its certificate, and its files by path (each a file of examples/ and its type). */
  bimi: Record<string, { certificate: string; files: Record<string, { file: string; contentType: string }> }>;
}

export function readDemoConfig(): DemoConfig {
  return JSON.parse(readTextFile(join(EXAMPLES, 'demo.json')).text) as DemoConfig;
}

export function readCertificate(name: string): { key: string; cert: string } {
  return { key: readTextFile(join(EXAMPLES, 'tls', `${name}.key`)).text, cert: readTextFile(join(EXAMPLES, 'tls', `${name}.pem`)).text };
}

/** What each demo web server serves: the MTA-STS policies and the BIMI files of demo.json, by host. */
export function demoWebFiles(config: DemoConfig): Map<string, { certificate: string; files: Record<string, DemoWebFile> }> {
  const web = new Map<string, { certificate: string; files: Record<string, DemoWebFile> }>();
  for (const [host, { certificate, policy }] of Object.entries(config.mtaSts)) {
    web.set(host, { certificate, files: { [POLICY_PATH]: { contentType: 'text/plain; charset=utf-8', body: readTextFile(join(EXAMPLES, 'mta-sts', policy)).text } } });
  }
  for (const [host, { certificate, files }] of Object.entries(config.bimi)) {
    web.set(host, { certificate, files: Object.fromEntries(Object.entries(files).map(([path, { file, contentType }]) => [path, { contentType, body: readFileBytes(join(EXAMPLES, file)).bytes }])) });
  }
  return web;
}
