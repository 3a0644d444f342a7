import { createServer } from 'node:https';
import { listenOnLoopback } from './loopback-server.js';
import type { LoopbackServer } from './loopback-server.js';

/**
 * A web server on loopback for the offline demo: over HTTPS with a demo certificate for the host it
 * stands in for, it serves a few files at fixed paths — an MTA-STS policy at
 * /.well-known/mta-sts.txt, a BIMI logo and Mark Certificate — and nothing else. The demo's
 * --connect-to rules send the fetches here instead of to the public-looking addresses of the
 * example zones.
 */
export interface DemoWebFile {
  contentType: string;
  body: string | Buffer;
}

export interface DemoWebOptions {
  /** PEM key and chain (leaf, then CA) for the host. */
  tls: { key: string; cert: string };
  /** By path. */
  files: Readonly<Record<string, DemoWebFile>>;
}

export function startDemoWebServer(options: DemoWebOptions): Promise<LoopbackServer> {
  return listenOnLoopback(createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    const file = req.method === 'GET' ? options.files[req.url ?? ''] : undefined;
    if (file) {
      res.writeHead(200, { 'content-type': file.contentType });
      res.end(file.body);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
    }
  }));
}
