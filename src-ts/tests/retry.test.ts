import { describe, expect, it } from 'vitest';

import { backoffMs, isRetryableStatus, MAX_RETRY_AFTER_MS, retryAfterMs } from '../lookup/retry';

describe('retry policy', () => {
  it('retries only 429 and the gateway errors', () => {
    const statuses = [400, 401, 403, 404, 429, 500, 501, 502, 503, 504, 505];
    expect(statuses.filter(isRetryableStatus)).toStrictEqual([429, 502, 503, 504]);
  });

  it('backs off from 200 ms, doubling up to 5 s, in the upper half of each step', () => {
    const bounds = (retry: number) => [backoffMs(retry, () => 0), backoffMs(retry, () => 1)];
    expect(bounds(0)).toStrictEqual([100, 200]);
    expect(bounds(1)).toStrictEqual([200, 400]);
    expect(bounds(2)).toStrictEqual([400, 800]);
    expect(bounds(5)).toStrictEqual([2500, 5000]);
    expect(bounds(40)).toStrictEqual([2500, 5000]);
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);

  it('reads delay-seconds as the Rust core does', () => {
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs(' 2 ', now)).toBe(2000);
    expect(retryAfterMs('\t007', now)).toBe(7000);
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(86_400_000);
  });

  it('caps a huge wait at 24 hours, as the core does', () => {
    expect(MAX_RETRY_AFTER_MS).toBe(86_400_000);
    for (const huge of [
      '86401',
      '9223372036854775807',
      '18446744073709551615',
      '18446744073709551616',
      '9'.repeat(400),
      'Fri, 31 Dec 9999 23:59:59 GMT',
    ]) {
      expect(retryAfterMs(huge, now)).toBe(MAX_RETRY_AFTER_MS);
    }
  });

  it('reads the three HTTP date formats, a past date meaning now', () => {
    expect(retryAfterMs('Sun, 29 Nov 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sunday, 29-Nov-26 12:01:00 GMT', now)).toBe(60_000);
    expect(retryAfterMs('Sun Nov 29 12:00:05 2026', now)).toBe(5000);
    expect(retryAfterMs('Sun Nov  1 12:00:05 2026', now)).toBe(0);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', now)).toBe(0);
  });

  it('ignores what is neither', () => {
    for (const value of [
      null,
      '',
      'soon',
      '1.5',
      '-1',
      '+3',
      '1e3',
      '0x10',
      '\u00a05',
      '1, 2',
      '2026-11-29T12:00:30Z',
      'Mon, 29 Nov 2026 12:00:30 GMT', // 29 Nov 2026 is a Sunday
      'Sun, 31 Feb 2026 12:00:30 GMT',
      'Sun, 29 Nov 2026 24:00:00 GMT',
      'Sun, 29 Nov 2026 12:00:30 UTC',
    ]) {
      expect(retryAfterMs(value, now)).toBeNull();
    }
  });
});
