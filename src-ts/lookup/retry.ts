const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

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

const U64_MAX = '18446744073709551615';

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP date (a date in the past means now);
 * `null` when absent or unreadable. The same grammar as the Rust core, which reads seconds as a
 * u64 and dates in the three HTTP formats only.
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const value = header.trim();
  const seconds = /^\+?0*([0-9]+)$/.exec(value);
  if (seconds) {
    const digits = seconds[1];
    const fits = digits.length < U64_MAX.length || (digits.length === U64_MAX.length && digits <= U64_MAX);
    return fits ? Number(digits) * 1000 : null;
  }
  const when = parseHttpDate(value);
  return when === null ? null : Math.max(0, when - now);
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
