import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { listen } from './loopback';
import { paddedCustomer } from './vectors';
import type { Vector, VectorAnswer } from './vectors';

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** The raw path after the vector's prefix, exactly as sent (still percent-encoded). */
  path: string;
  headers: IncomingHttpHeaders;
}

/**
 * Plays every vector over loopback HTTP, each under the path prefix `/{name}`, so that every
 * client's base URL carries a path prefix. The i-th request of a vector gets its i-th answer.
 */
export interface ScenarioServer {
  baseUrl(name: string): string;
  requests(name: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startScenarioServer(vectors: Vector[]): Promise<ScenarioServer> {
  const byName = new Map(vectors.map((v) => [v.name, v]));
  const seen = new Map<string, RecordedRequest[]>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // req.url is the request target as sent: nothing is decoded or normalised.
    const target = req.url ?? '';
    const slash = target.indexOf('/', 1);
    const name = target.slice(1, slash < 0 ? undefined : slash);
    const vector = byName.get(name);
    if (!vector) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no such vector');
      return;
    }
    const requests = seen.get(name) ?? [];
    seen.set(name, requests);
    requests.push({ method: req.method ?? '', path: slash < 0 ? '' : target.slice(slash), headers: req.headers });
    const answer = vector.responses[Math.min(requests.length, vector.responses.length) - 1] ?? {
      status: 500,
      text: 'the vector expects no request',
    };
    const timer = setTimeout(() => {
      timers.delete(timer);
      play(answer, req, res);
    }, answer.delayMs ?? 0);
    timers.add(timer);
  };

  const server = await listen(handle);
  return {
    baseUrl: (name) => `${server.origin}/${name}`,
    requests: (name) => seen.get(name) ?? [],
    close: () => {
      timers.forEach(clearTimeout);
      return server.close();
    },
  };
}

function play(answer: VectorAnswer, req: IncomingMessage, res: ServerResponse): void {
  if (res.destroyed) return;
  if (answer.reset) {
    req.socket.resetAndDestroy();
    return;
  }
  const headers: Record<string, string> = { ...answer.headers };
  const hasContentType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (answer.oversizeBytes !== undefined) {
    if (!hasContentType) headers['content-type'] = 'application/json';
    const body = paddedCustomer(answer.oversizeBytes);
    // Without content-length Node sends it chunked, so only reading it can find its size.
    if (answer.oversizeWithContentLength) headers['content-length'] = String(body.length);
    res.writeHead(answer.status ?? 200, headers);
    for (let at = 0; at < body.length; at += 8192) res.write(body.subarray(at, at + 8192));
    res.end();
    return;
  }
  let body: string | Buffer = '';
  if (answer.json !== undefined) {
    if (!hasContentType) headers['content-type'] = 'application/json';
    body = JSON.stringify(answer.json);
  } else if (answer.text !== undefined) {
    body = answer.text;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(answer.status ?? 200, headers).end(body);
}
