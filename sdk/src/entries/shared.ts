/**
 * What the resident, auditor and agency entries all export: the EIP-712 definitions, the
 * deployment record, the ABIs, agreement ids, claim and reference hashes, and every error class.
 * Not an entry itself. Nothing here may import a Node built-in: two of those entries run in browsers.
 */
export * from "../eip712";
export * from "../claims";
export * from "../deployment";
export * from "../agreementId";
export * from "../agreementInForce";
export { pointsLedgerAbi, cityCouncilAbi, passkeyAccountsAbi, communityStationsAbi } from "../abi";
export * from "../stations/stamp";
export * from "../stations/reads";

export * from "../errors/base";
export * from "../errors/contract";
export * from "../errors/intent";
export * from "../errors/passkey";
export * from "../errors/rpc";
export * from "../errors/deployment";
export * from "../errors/relay";
