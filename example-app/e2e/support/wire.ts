/**
 * What the page sent and got back, seen on the wire: a recording pass-through on 127.0.0.1 in
 * front of one server (the backend, the app's server), which the page is pointed at instead. It
 * works the same for every engine (WebDriver has no network events) and keeps every body
 * (a browser's own network events sometimes cannot hand one over). It can also add the
 * emulator's `x-sandbox-fault` header to the requests it passes on, as a failing network would
 * make them fail. When the server behind it is down, the page's connection is cut, as a refused
 * connection would be.
 */

import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface Exchange {
  method: string;
  /** Path and query, as the page asked for them. */
  url: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: Buffer;
  status: number;
  responseHeaders: IncomingHttpHeaders;
  /** Decoded: `vite preview` gzips its answers. */
  body: Buffer;
}

const DECODERS: Record<string, (body: Buffer) => Buffer> = {
  gzip: gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};

/** The body as the page reads it, whatever `content-encoding` the server chose. */
function decoded(body: Buffer, encoding: string | undefined): Buffer {
  if (!encoding || encoding === 'identity') return body;
  const decode = DECODERS[encoding];
  if (!decode) throw new Error(`the wire cannot decode content-encoding ${encoding}`);
  return decode(body);
}

export class Wire {
  /** Finished exchanges, in the order they finished. */
  readonly exchanges: Exchange[] = [];
  /** Requests received, in order, as `METHOD /path?query` (also those that got no answer). */
  readonly received: string[] = [];
  private fault: { pathPrefix: string; fault: string } | null = null;

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT`: the address to give the page. */
    readonly url: string,
  ) {}

  static async start(target: string): Promise<Wire> {
    const server = createServer();
    const url = await new Promise<string>((listening) =>
      server.listen(0, '127.0.0.1', () => listening(`http://127.0.0.1:${(server.address() as { port: number }).port}`)),
    );
    const wire = new Wire(server, url);
    server.on('request', (incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const requestBody = Buffer.concat(chunks);
        const method = incoming.method ?? 'GET';
        const path = incoming.url ?? '/';
        wire.received.push(`${method} ${path}`);
        const headers: IncomingHttpHeaders = { ...incoming.headers, host: new URL(target).host };
        if (wire.fault && path.startsWith(wire.fault.pathPrefix) && method !== 'OPTIONS') {
          headers['x-sandbox-fault'] = wire.fault.fault;
        }
        const upstream = forward(`${target}${path}`, { method, headers }, (answer) => {
          const body: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => body.push(chunk));
          answer.on('end', () => {
            const raw = Buffer.concat(body);
            outgoing.writeHead(answer.statusCode ?? 0, answer.rawHeaders);
            outgoing.end(raw);
            wire.exchanges.push({
              method,
              url: path,
              requestHeaders: incoming.headers,
              requestBody,
              status: answer.statusCode ?? 0,
              responseHeaders: answer.headers,
              body: decoded(raw, answer.headers['content-encoding']),
            });
          });
        });
        upstream.on('error', () => outgoing.destroy());
        upstream.end(requestBody);
      });
    });
    return wire;
  }

  /** Adds `x-sandbox-fault: fault` to the requests under `pathPrefix` until `clearFault()`. */
  setFault(pathPrefix: string, fault: string): void {
    this.fault = { pathPrefix, fault };
  }

  clearFault(): void {
    this.fault = null;
  }

  /** The page's own requests (not CORS preflights), in order, as `METHOD /path`. */
  sent(): string[] {
    return this.received.filter((r) => !r.startsWith('OPTIONS ')).map((r) => r.replace(/\?.*$/, ''));
  }

  /** The answers to the page's own requests, as `METHOD /path STATUS`. */
  answers(): string[] {
    return this.own().map((e) => `${e.method} ${e.url.replace(/\?.*$/, '')} ${e.status}`);
  }

  /** The exchanges of the page's own requests (not CORS preflights). */
  own(): Exchange[] {
    return this.exchanges.filter((e) => e.method !== 'OPTIONS');
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((closed) => this.server.close(closed));
  }
}
