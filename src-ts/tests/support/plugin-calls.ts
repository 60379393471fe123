import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

import { listen } from './loopback';
import { loadVectors } from './vectors';

/** The plugin-call cases every implementation runs; format: src-ts/contract/README.md. */
export const PLUGIN_CALLS_FILE = fileURLToPath(new URL('../../contract/plugin-calls.json', import.meta.url));

export type Outcome =
  'resolve' | { customer: string; token?: string; clientAuthToken?: boolean } | { code: string; message: string };

/** The client auth token the case server gives for `id` when asked, and its expiry. */
export const CASE_CLIENT_AUTH_EXPIRY = '2030-01-01T00:15:00Z';
export function caseClientAuthToken(id: string): string {
  return `cat_${id}`;
}

export type Step =
  | { call: string; options: Record<string, unknown>; expect: Outcome }
  | { call: string; options: Record<string, unknown>; start: string }
  | { await: string; expect: Outcome }
  | { waitForRequests: number };

export interface Case {
  name: string;
  calls: Step[];
  requests?: number;
}

export interface PluginCalls {
  /** The documented customer on the wire, and as `getCustomer` resolves it; `id` is replaced. */
  wireCustomer: Record<string, unknown>;
  customer: Record<string, unknown>;
  cases: Case[];
}

// Each kind of step has exactly these keys; anything else is a format this harness does not know.
const STEP_KEYS = [
  ['call', 'options', 'expect'],
  ['call', 'options', 'start'],
  ['await', 'expect'],
  ['waitForRequests'],
].map((keys) => keys.sort().join());

export function loadPluginCalls(): PluginCalls {
  const file = JSON.parse(readFileSync(PLUGIN_CALLS_FILE, 'utf8')) as {
    customerVector: string;
    cases: Case[];
  };
  const vector = loadVectors().find((v) => v.name === file.customerVector);
  const wireCustomer = vector && (vector.responses[0].json as Record<string, unknown>);
  if (!vector || !wireCustomer || !vector.expect.customer) {
    throw new Error(`customerVector ${file.customerVector} is not a vector with a customer`);
  }
  for (const c of file.cases) {
    for (const key of Object.keys(c)) {
      if (['name', 'calls', 'requests'].indexOf(key) < 0) throw new Error(`${c.name}: unknown key ${key}`);
    }
    for (const step of c.calls) {
      const keys = Object.keys(step).sort().join();
      if (STEP_KEYS.indexOf(keys) < 0) throw new Error(`${c.name}: unknown step ${JSON.stringify(step)}`);
    }
  }
  return { wireCustomer, customer: vector.expect.customer, cases: file.cases };
}

/** `value` with "{{server}}" replaced in every string, however deep. */
export function withServer(value: unknown, origin: string): unknown {
  if (typeof value === 'string') return value.split('{{server}}').join(origin);
  if (Array.isArray(value)) return value.map((v) => withServer(v, origin));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withServer(v, origin)]));
  }
  return value;
}

export interface CaseServer {
  origin: string;
  /** Every request: the decoded customer id and the Authorization header. */
  requests: { id: string; authorization?: string }[];
  /** Connections of `hang-…` requests that the client has not closed yet. */
  held(): number;
  close(): Promise<void>;
}

/**
 * The cases' server: `GET …/customers/{id}` answers the documented customer with that id, at
 * once, after 500 ms for `slow-…` ids, never for `hang-…` ids (it holds the connection until the
 * client closes it). With exactly the query `options.get_client_auth_token=true` the customer
 * carries a client auth token, otherwise a malformed `juspay` that must be ignored. It records
 * each request's id and Authorization header.
 */
export async function startCaseServer(wireCustomer: Record<string, unknown>): Promise<CaseServer> {
  const requests: CaseServer['requests'] = [];
  let held = 0;
  const server = await listen((req: IncomingMessage, res: ServerResponse) => {
    const match = /\/customers\/([^/?]*)(?:\?(.*))?$/.exec(req.url || '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    const id = decodeURIComponent(match[1]);
    requests.push({ id, authorization: req.headers.authorization });
    if (id.startsWith('hang-')) {
      held += 1;
      req.socket.once('close', () => (held -= 1));
      return;
    }
    const answer = () => {
      if (!res.destroyed) {
        const juspay =
          match[2] === 'options.get_client_auth_token=true'
            ? { client_auth_token: caseClientAuthToken(id), client_auth_token_expiry: CASE_CLIENT_AUTH_EXPIRY }
            : 'not asked';
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...wireCustomer, id, juspay }));
      }
    };
    if (id.startsWith('slow-')) setTimeout(answer, 500);
    else answer();
  });
  return {
    origin: server.origin,
    requests,
    held: () => held,
    close: server.close,
  };
}
