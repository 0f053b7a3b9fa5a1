/**
 * `@city-points/sdk/resident`: what a resident app imports, in a browser or in Node. Build, quote,
 * sign and verify intents, plus the shared definitions. No Node built-ins (test/sdk/browserBundle.test.ts).
 */
export * from "./shared";

export * from "../resident/schema";
export * from "../resident/intents";
export * from "../resident/sign";
export * from "../resident/verify";
export * from "../resident/quote";
export * from "../resident/nonces";
export * from "../resident/paymentRequest";
export * from "../resident/passkeys";
