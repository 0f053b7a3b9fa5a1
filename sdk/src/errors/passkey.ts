import { CityPointsError, type CityPointsErrorOptions } from "./base";

/** WebAuthn is not available (no secure context, no authenticator), or the resident cancelled. */
export class PasskeyUnavailableError extends CityPointsError {
  override name = "PasskeyUnavailableError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("PASSKEY_UNAVAILABLE", shortMessage, options);
  }
}

/**
 * A credential or assertion the ledger cannot use: not a P-256 key, malformed attestation,
 * authenticator data or signature encoding.
 */
export class InvalidPasskeyError extends CityPointsError {
  override name = "InvalidPasskeyError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_PASSKEY", shortMessage, options);
  }
}
