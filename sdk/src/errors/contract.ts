/**
 * Turns revert data into the Solidity error that caused it, using the ABIs in sdk/src/abi (the
 * ledger's, the council's and the passkey registry's custom errors, OpenZeppelin's ECDSA/AccessControl/SafeCast errors they
 * include, and Solidity's built-in `Error(string)` and `Panic(uint256)`).
 */
import { decodeErrorResult, type Hex } from "viem";
import { cityCouncilAbi, communityStationsAbi, passkeyAccountsAbi, pointsLedgerAbi } from "../abi";
import { CityPointsError, type CityPointsErrorOptions } from "./base";

// The ledger's passkey entrypoints re-throw the registry's errors, so its ABI is included too.
const errorAbi = [...pointsLedgerAbi, ...cityCouncilAbi, ...passkeyAccountsAbi, ...communityStationsAbi].filter((item) => item.type === "error");

export interface DecodedRevert {
  /** Solidity error name, e.g. "PointsLedgerClaimUsed", "ECDSAInvalidSignatureS", "Error", "Panic". */
  errorName: string;
  /** Arguments in declaration order (uint as bigint, address checksummed). */
  args: readonly unknown[];
  /** Arguments by name, where the ABI names them. */
  namedArgs: Record<string, unknown>;
  /** For `CityCouncilCallFailed`: the ledger error the council's call reverted with. */
  inner?: DecodedRevert;
  data: Hex;
}

/** Decodes revert data; `undefined` for empty data or a selector none of our ABIs declares. */
export function decodeRevertData(data: Hex | undefined): DecodedRevert | undefined {
  if (!data || data.length < 10) return undefined;
  let result: { errorName: string; args: readonly unknown[] | undefined; abiItem: { inputs?: readonly { name?: string }[] } };
  try {
    result = decodeErrorResult({ abi: errorAbi, data }) as typeof result;
  } catch {
    return undefined;
  }
  const args = result.args ?? [];
  const namedArgs: Record<string, unknown> = {};
  const inputs = result.abiItem.inputs ?? [];
  inputs.forEach((input, i) => {
    namedArgs[input.name && input.name.length > 0 ? input.name : String(i)] = args[i];
  });
  const decoded: DecodedRevert = { errorName: result.errorName, args, namedArgs, data };
  if (result.errorName === "CityCouncilCallFailed") {
    const inner = decodeRevertData(args[1] as Hex);
    if (inner) decoded.inner = inner;
  }
  return decoded;
}

/**
 * Finds revert data in an error thrown by viem, ethers or a raw JSON-RPC call: the first `data`
 * that looks like ABI-encoded revert data, searched through `cause`, `error`, `info` and `data`.
 */
export function findRevertData(error: unknown): Hex | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (current === null || current === undefined || seen.has(current)) continue;
    seen.add(current);
    if (typeof current === "string") {
      if (/^0x[0-9a-fA-F]{8,}$/.test(current) && (current.length - 2) % 64 === 8) return current as Hex;
      continue;
    }
    if (typeof current !== "object") continue;
    const record = current as Record<string, unknown>;
    for (const key of ["data", "cause", "error", "info", "revert"]) {
      if (key in record) queue.push(record[key]);
    }
  }
  return undefined;
}

/**
 * A sentence for the reverts a caller can cause and act on, beyond the error's name; undefined for
 * the others (their name and arguments say enough to a developer).
 */
export function explainRevert(revert: Pick<DecodedRevert, "errorName" | "namedArgs">): string | undefined {
  const a = revert.namedArgs;
  switch (revert.errorName) {
    case "PointsLedgerOrderAlreadyPaid":
      return `order ${String(a.orderRef)} was already paid to partner ${String(a.partner)}; a payment request is paid once, so nothing was spent`;
    default:
      return undefined;
  }
}

export class ContractRevertError extends CityPointsError {
  override name = "ContractRevertError" as const;
  /** The Solidity error name, or undefined when the data matched no known error. */
  readonly errorName: string | undefined;
  readonly revert: DecodedRevert | undefined;

  constructor(revert: DecodedRevert | undefined, options: CityPointsErrorOptions = {}) {
    const name = revert ? (revert.inner ? `${revert.errorName}(${revert.inner.errorName})` : revert.errorName) : undefined;
    const why = revert && explainRevert(revert);
    super("CONTRACT_REVERT", name ? `The contract reverted with ${name}${why ? `: ${why}` : ""}.` : "The contract reverted.", {
      ...options,
      details: { ...(revert ? { errorName: revert.errorName, args: revert.namedArgs } : {}), ...options.details },
    });
    this.errorName = revert?.errorName;
    this.revert = revert;
  }
}

/**
 * Wraps a failed call's error as a `ContractRevertError` when it carries revert data; returns
 * undefined otherwise (a network failure, a rejected signature request...).
 */
export function toContractRevertError(error: unknown): ContractRevertError | undefined {
  const data = findRevertData(error);
  if (data === undefined) return undefined;
  return new ContractRevertError(decodeRevertData(data), { cause: error, details: { data } });
}
