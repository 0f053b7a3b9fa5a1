/**
 * A ledger revert as an operation's failure. Finding the revert data in an RPC error and decoding
 * it to the Solidity error are the SDK's (sdk/src/errors/contract.ts); this only words it for the
 * journal and the API.
 */
import type { Hex } from "viem";
import { decodeRevertData, explainRevert } from "../../sdk/src/errors/contract";
import type { OperationFailure } from "../../sdk/src/wire/operations";

export { findRevertData } from "../../sdk/src/errors/contract";

function argToString(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** A contract error as an operation's failure: its Solidity name and named arguments, as strings. */
export function decodeRevert(data: Hex): OperationFailure {
  const decoded = decodeRevertData(data);
  if (!decoded) return { name: "UnknownRevert", message: "the ledger rejected it with an unrecognised error", args: { data: data.slice(0, 138) } };
  const args = Object.fromEntries(Object.entries(decoded.namedArgs).map(([name, value]) => [name, argToString(value)]));
  const why = explainRevert(decoded);
  return { name: decoded.errorName, message: `the ledger rejected it: ${decoded.errorName}${why ? ` (${why})` : ""}`, args };
}
