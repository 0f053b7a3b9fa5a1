/** Decoding of the ledger's custom errors from revert data, and finding that data in RPC errors. */
import { decodeErrorResult, type Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import type { OperationFailure } from "../../sdk/src/wire/operations";

/** The revert data carried somewhere in an RPC error (viem, Hardhat and anvil nest it differently). */
export function findRevertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const data = (current as { data?: unknown }).data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data) && data.length >= 10) return data as Hex;
    if (data && typeof data === "object") {
      const inner = (data as { data?: unknown }).data;
      if (typeof inner === "string" && /^0x[0-9a-fA-F]*$/.test(inner) && inner.length >= 10) return inner as Hex;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function argToString(value: unknown): string {
  return typeof value === "bigint" ? value.toString() : String(value);
}

/** A contract error as an operation's failure: its Solidity name and named arguments. */
export function decodeRevert(data: Hex): OperationFailure {
  try {
    const decoded = decodeErrorResult({ abi: pointsLedgerAbi, data });
    const item = pointsLedgerAbi.find((e) => e.type === "error" && e.name === decoded.errorName) as
      | { inputs: readonly { name: string }[] }
      | undefined;
    const args: Record<string, string> = {};
    (decoded.args ?? []).forEach((value, i) => {
      args[item?.inputs[i]?.name || String(i)] = argToString(value);
    });
    return { name: decoded.errorName, message: `the ledger rejected it: ${decoded.errorName}`, args };
  } catch {
    return { name: "UnknownRevert", message: "the ledger rejected it with an unrecognised error", args: { data: data.slice(0, 138) } };
  }
}
