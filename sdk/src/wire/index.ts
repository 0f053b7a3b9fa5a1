/**
 * The relay's HTTP API as zod schemas: requests are parsed with them by the relay and built with
 * them by the SDK; the relay's /openapi.json is generated from them. No express, no node-only code
 * beyond viem and zod.
 */
export * from "./primitives";
export * from "./errors";
export * from "./operations";
export * from "./issuance";
export * from "./intents";
export * from "./passkeys";
export * from "./agreements";
export * from "./settlement";
export * from "./reads";
export * from "./ledger";
export * from "./partners";
export * from "./stations";
