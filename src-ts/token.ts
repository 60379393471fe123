/**
 * Why a device token cannot be sent as `Authorization: Bearer <token>`, or `undefined` when it
 * can: the Rust core's rule and words, so every platform refuses the same tokens alike.
 */
export function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return 'must be a string';
  // Blank as Rust's str::trim sees it: JavaScript's \s plus U+0085, minus U+FEFF.
  if (/^(?![^]*\ufeff)[\s\x85]*$/.test(token)) return 'must not be empty';
  // A header value: a line break would inject headers, and fetch refuses non-Latin-1 text.
  if (!/^[\t\x20-\x7e]*$/.test(token)) return 'must be printable ASCII without line breaks';
  return undefined;
}
