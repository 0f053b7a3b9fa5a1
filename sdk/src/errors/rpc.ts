import { CityPointsError, type CityPointsErrorOptions } from "./base";

/** The node answered a JSON-RPC request with an error. */
export class RpcRequestError extends CityPointsError {
  override name = "RpcRequestError" as const;
  /** The JSON-RPC error code the node returned. */
  readonly rpcCode: number | undefined;
  constructor(method: string, rpcCode: number | undefined, rpcMessage: string, options: CityPointsErrorOptions = {}) {
    super("RPC_ERROR", `${method} failed: ${rpcMessage}`, { ...options, details: { method, rpcCode, ...options.details } });
    this.rpcCode = rpcCode;
  }
}

/** The node could not be reached, or answered with something that is not JSON-RPC. */
export class RpcUnavailableError extends CityPointsError {
  override name = "RpcUnavailableError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("RPC_UNAVAILABLE", shortMessage, options);
  }
}

/** The chain is not the one the deployment record names, or the contracts are missing there. */
export class ChainMismatchError extends CityPointsError {
  override name = "ChainMismatchError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("CHAIN_MISMATCH", shortMessage, options);
  }
}

/** A reply was larger than the caller allows; the request was abandoned (ask for less). */
export class RpcResponseTooLargeError extends CityPointsError {
  override name = "RpcResponseTooLargeError" as const;
  constructor(method: string, limitBytes: number, options: CityPointsErrorOptions = {}) {
    super("RPC_RESPONSE_TOO_LARGE", `The reply to ${method} exceeded ${limitBytes} bytes.`, { ...options, details: { method, limitBytes, ...options.details } });
  }
}

/** A contract at a deployment record's address does not run the code this SDK was built with, and could not be read as one. */
export class CodeMismatchError extends CityPointsError {
  override name = "CodeMismatchError" as const;
  constructor(shortMessage: string, options: CityPointsErrorOptions = {}) {
    super("CODE_MISMATCH", shortMessage, options);
  }
}
