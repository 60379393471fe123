import { CapacitorException, ExceptionCode } from '@capacitor/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { CUSTOMER_ERROR_CODES, customerError, isCustomerError } from '../errors';

import { RUST_CORE_DIR } from './support/vectors';

describe('error codes', () => {
  it('are exactly the Rust core ERROR_CODES, in order', () => {
    const source = readFileSync(`${RUST_CORE_DIR}src/error.rs`, 'utf8');
    const list = /pub const ERROR_CODES: \[&str; \d+\] = \[([^\]]*)\]/.exec(source);
    expect(list).not.toBeNull();
    const rustCodes = [...(list?.[1] ?? '').matchAll(/"([A-Z_]+)"/g)].map((m) => m[1]);
    expect(CUSTOMER_ERROR_CODES).toStrictEqual(rustCodes);
  });

  it('mark RATE_LIMITED, SERVER_ERROR, TIMEOUT and NETWORK retryable', () => {
    const retryable = CUSTOMER_ERROR_CODES.filter((code) => customerError(code, 'm').data.retryable);
    expect(retryable).toStrictEqual(['RATE_LIMITED', 'SERVER_ERROR', 'TIMEOUT', 'NETWORK']);
  });
});

describe('isCustomerError', () => {
  it('recognises web rejections and native ones, which arrive as plain exception objects', () => {
    const web = customerError('FORBIDDEN', 'IP Verification Failed', { status: 403 });
    expect(web).toBeInstanceOf(CapacitorException);
    expect(web).toBeInstanceOf(Error);
    expect(isCustomerError(web)).toBe(true);
    // What the Android and iOS bridges deliver: their own exception class, with the keys copied.
    const native = Object.assign(new Error(''), {
      code: 'CUSTOMER_NOT_FOUND',
      message: 'Customer account not found.',
      data: { status: 404 },
    });
    expect(isCustomerError(native)).toBe(true);
  });

  it('rejects everything else', () => {
    for (const other of [
      new CapacitorException('"JuspayCustomer" plugin is not implemented on android', ExceptionCode.Unimplemented),
      Object.assign(new Error('x'), { code: 'toString', data: {} }),
      Object.assign(new Error('x'), { code: 'NETWORK' }),
      new Error('NETWORK'),
      { code: 'NETWORK', message: 'm', data: null },
      'NETWORK',
      null,
      undefined,
    ]) {
      expect(isCustomerError(other)).toBe(false);
    }
  });
});
