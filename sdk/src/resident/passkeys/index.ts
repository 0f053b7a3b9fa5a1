/**
 * Passkeys for residents: create a credential, sign intents and credential changes with it, verify
 * assertions. Browser-importable: WebCrypto, TextEncoder, atob/btoa and viem only, no Node built-in.
 */
export * from "./base64url";
export * from "./publicKey";
export * from "./authenticatorData";
export * from "./signature";
export * from "./assertion";
export * from "./verify";
export * from "./changes";
export * from "./webauthn";
export * from "./create";
export * from "./sign";
export * from "./reads";
export * from "./recover";
export { decodeCbor, type CborValue } from "./cbor";
