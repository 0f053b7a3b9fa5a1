/**
 * What must never leave the relay in a log line, a readiness answer or a gateway error: the
 * credentials of a URL (RPC_URL=https://user:pass@node..., a journal's postgres://user:pass@...)
 * and long hex strings, which are signed transactions or calldata (viem puts a failed request's
 * body, the raw transaction included, into its error messages). Transaction hashes (32 bytes) and
 * addresses stay; anything over 64 bytes of hex goes.
 */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'\\]+@/gi;
const LONG_HEX = /0x[0-9a-fA-F]{129,}/g;

export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, "$1[redacted]@").replace(LONG_HEX, (hex) => `0x[${Math.floor((hex.length - 2) / 2)} bytes redacted]`);
}
