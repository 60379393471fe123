import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared scenario vectors' format: rust-core/tests/vectors/README.md. */
export interface VectorAnswer {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  oversizeBytes?: number;
  oversizeWithContentLength?: boolean;
  delayMs?: number;
  reset?: boolean;
}

export interface Vector {
  name: string;
  description: string;
  customerId: string;
  config?: { deadlineMs?: number; maxRetries?: number };
  options?: { clientAuthToken?: boolean };
  responses: VectorAnswer[];
  expect: {
    requests: number;
    requestPath?: string;
    customer?: Record<string, unknown>;
    error?: { code: string; message?: string; data: Record<string, unknown> };
  };
}

/** The Rust core's directory: the vectors and its error codes are read from there, not copied. */
export const RUST_CORE_DIR = fileURLToPath(new URL('../../../rust-core/', import.meta.url));
const VECTORS_DIR = `${RUST_CORE_DIR}tests/vectors/`;

/** Every vector, read at test time and sorted by name; a customer's absent `juspay` is `null`. */
export function loadVectors(): Vector[] {
  return readdirSync(VECTORS_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const vector = JSON.parse(readFileSync(VECTORS_DIR + file, 'utf8')) as Omit<Vector, 'name'>;
      const { customer } = vector.expect;
      if (customer) vector.expect.customer = { juspay: null, ...customer };
      return { ...vector, name: file.slice(0, -'.json'.length) };
    });
}

/** A customer that would parse, padded to `size` bytes, so only the size limit can reject it. */
export function paddedCustomer(size: number): Buffer {
  const head = '{"id":"cst_oversize","object":"customer","padding":"';
  const tail = '"}';
  return Buffer.from(head + 'x'.repeat(Math.max(0, size - head.length - tail.length)) + tail);
}
