import {
  MAX_RETRY_AFTER_MS,
  RETRY_BASE_DELAY_MS as BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS as MAX_DELAY_MS,
} from '../generated/core-contract';

export { MAX_RETRY_AFTER_MS };

/**
 * Statuses worth another attempt: rate limiting and gateway errors. Other 5xx are not retried:
 * the server got the request and failed on it.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * The pause before retry number `retry` (0 for the first): 200 ms doubling up to 5 s, drawn from
 * the upper half so that clients that failed together do not retry together.
 */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BASE_DELAY_MS * 2 ** Math.min(retry, 30), MAX_DELAY_MS);
  const half = ceiling / 2;
  return half + half * random();
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (a date in the past means now), at
 * most MAX_RETRY_AFTER_MS; `null` when absent or unreadable (a sign, a fraction, a bad date, or
 * two values, which fetch joins with a comma). The same grammar as the Rust core.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  // Only HTTP's own whitespace: String.prototype.trim would also take e.g. U+00A0 away.
  const value = header.replace(/^[ \t]+|[ \t]+$/g, '');
  // Any run of digits is valid delay-seconds, however long: beyond the cap it is simply huge.
  if (/^[0-9]+$/.test(value)) return Math.min(Number(value), MAX_RETRY_AFTER_MS / 1000) * 1000;
  const when = parseHttpDate(value);
  return when === null ? null : Math.min(Math.max(0, when - now), MAX_RETRY_AFTER_MS);
}

// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and
// asctime `Sun Nov  6 08:49:37 1994`, each rewritten to IMF-fixdate. Date.parse alone is not
// used: it accepts far more than HTTP allows.
const IMF = /^(\w{3}), (\d\d) (\w{3}) (\d{4}) (\d\d:\d\d:\d\d) GMT$/;
const RFC850 = /^(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day, (\d\d)-(\w{3})-(\d\d) (\d\d:\d\d:\d\d) GMT$/;
const ASCTIME = /^(\w{3}) (\w{3}) ([ \d]\d) (\d\d:\d\d:\d\d) (\d{4})$/;

function parseHttpDate(value: string): number | null {
  let m = IMF.exec(value);
  let imf = m && value;
  if ((m = RFC850.exec(value))) {
    const yy = Number(m[4]);
    imf = `${m[1].slice(0, 3)}, ${m[2]} ${m[3]} ${yy < 70 ? 2000 + yy : 1900 + yy} ${m[5]} GMT`;
  } else if ((m = ASCTIME.exec(value))) {
    imf = `${m[1]}, ${m[3].replace(' ', '0')} ${m[2]} ${m[5]} ${m[4]} GMT`;
  }
  if (!imf) return null;
  // Valid exactly when it prints back the same (a wrong weekday, 31 Feb or 24:00 do not);
  // ECMAScript guarantees Date.parse reads what toUTCString prints. Years before 1970 are
  // refused, as in the core.
  const at = Date.parse(imf);
  return at >= 0 && new Date(at).toUTCString() === imf ? at : null;
}
