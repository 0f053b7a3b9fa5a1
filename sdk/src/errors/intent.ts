import { CityPointsError, type CityPointsErrorOptions } from "./base";

export class InvalidIntentError extends CityPointsError {
  override name = "InvalidIntentError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_INTENT", shortMessage, options);
  }
}

export class InvalidSignatureError extends CityPointsError {
  override name = "InvalidSignatureError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("INVALID_SIGNATURE", shortMessage, options);
  }
}

export class UnsupportedSignerError extends CityPointsError {
  override name = "UnsupportedSignerError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("UNSUPPORTED_SIGNER", shortMessage, options);
  }
}
