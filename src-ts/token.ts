/**
 * Why a device token cannot be sent as `Authorization: Bearer <token>`, or `undefined` when it
 * can. The Rust core applies the same rule, so every platform refuses the same tokens.
 */
export function tokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return `must be a string, got ${typeof token}`;
  if (token.trim() === '') return 'must not be empty';
  // A header value: a line break would inject headers, and fetch refuses non-Latin-1 text.
  if (!/^[\t\x20-\x7e]*$/.test(token)) return 'must be printable ASCII without line breaks';
  return undefined;
}
