import { createServer } from 'node:https';
import { POLICY_PATH } from '../families/mta-sts/collect.js';
import { listenOnLoopback } from './loopback-server.js';
import type { LoopbackServer } from './loopback-server.js';

/**
 * A web server on loopback for the offline demo that serves one MTA-STS policy file at
 * /.well-known/mta-sts.txt, over HTTPS with a demo certificate for the policy host, as text/plain,
 * and nothing else. The demo's --connect-to rules send the policy fetch here instead of to the
 * public-looking address of mta-sts.DOMAIN in the example zones.
 */
export interface DemoPolicyOptions {
  /** PEM key and chain (leaf, then CA) for the policy host. */
  tls: { key: string; cert: string };
  policy: string;
}

export function startDemoPolicyServer(options: DemoPolicyOptions): Promise<LoopbackServer> {
  return listenOnLoopback(createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    if (req.method === 'GET' && req.url === POLICY_PATH) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(options.policy);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  }));
}
