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

const DAYS = 'Sun|Mon|Tue|Wed|Thu|Fri|Sat';
const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec';
// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`, asctime
// `Sun Nov  6 08:49:37 1994`. Date.parse is not used: it accepts far more than HTTP allows.
const IMF = new RegExp(`^(${DAYS}), (\\d\\d) (${MONTHS}) (\\d{4}) (\\d\\d:\\d\\d:\\d\\d) GMT$`);
const RFC850 = new RegExp(
  `^(Sun|Mon|Tues|Wednes|Thurs|Fri|Satur)day, (\\d\\d)-(${MONTHS})-(\\d\\d) (\\d\\d:\\d\\d:\\d\\d) GMT$`,
);
const ASCTIME = new RegExp(`^(${DAYS}) (${MONTHS}) ([ \\d]\\d) (\\d\\d:\\d\\d:\\d\\d) (\\d{4})$`);

function parseHttpDate(value: string): number | null {
  let m: RegExpExecArray | null;
  if ((m = IMF.exec(value))) return dateOf(m[1], m[2], m[3], m[4], m[5]);
  if ((m = RFC850.exec(value))) {
    const yy = Number(m[4]);
    return dateOf(m[1], m[2], m[3], String(yy < 70 ? 2000 + yy : 1900 + yy), m[5]);
  }
  if ((m = ASCTIME.exec(value))) return dateOf(m[1], m[3], m[2], m[5], m[4]);
  return null;
}

/**
 * The time, or `null` when a field is out of range or the weekday does not match the date: the
 * date is valid exactly when it prints back as the same IMF-fixdate (Date.UTC would roll 31 Feb
 * over into March, or 24:00 into the next day). Years before 1970 are refused, as in the core.
 */
function dateOf(weekday: string, day: string, month: string, year: string, time: string): number | null {
  const [h, min, s] = time.split(':').map(Number);
  const at = Date.UTC(Number(year), MONTHS.indexOf(month) / 4, Number(day), h, min, s);
  const imf = `${weekday.slice(0, 3)}, ${day.trim().padStart(2, '0')} ${month} ${year} ${time} GMT`;
  return Number(year) >= 1970 && new Date(at).toUTCString() === imf ? at : null;
}
