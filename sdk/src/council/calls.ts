/**
 * A council proposal's call, decoded: which of the deployment's contracts it targets and which of
 * its functions it calls with what arguments. The council tool lists proposals with it, and the
 * auditor compares each executed proposal with what its execution changed (I8).
 */
import { decodeFunctionData, type Hex } from "viem";
import { cityCouncilAbi, pointsLedgerAbi } from "../abi";

export interface CouncilContracts {
  ledger: string;
  council: string;
}

export interface DecodedCouncilCall {
  /** The deployment's contract the proposal calls, or "other" for any other address. */
  target: "ledger" | "council" | "other";
  /** The function, when the data decodes against the target's ABI. */
  functionName: string | undefined;
  /** Its arguments as viem decodes them (uint up to 48 bits as number, wider as bigint; structs as objects). */
  args: readonly unknown[];
}

/**
 * Decodes a proposal's target and data.
 * @example
 * const call = decodeCouncilCall(deployment, proposal.target, proposal.data);
 * console.log(formatCouncilCall(call)); // ledger.setIssuerQuota(1, 0x9a3d…c4d5, 5000)
 */
export function decodeCouncilCall(contracts: CouncilContracts, target: string, data: Hex): DecodedCouncilCall {
  const to = target.toLowerCase();
  const which = to === contracts.ledger.toLowerCase() ? "ledger" : to === contracts.council.toLowerCase() ? "council" : "other";
  if (which === "other") return { target: which, functionName: undefined, args: [] };
  try {
    const decoded = decodeFunctionData({ abi: which === "ledger" ? pointsLedgerAbi : cityCouncilAbi, data });
    return { target: which, functionName: decoded.functionName, args: decoded.args ?? [] };
  } catch {
    return { target: which, functionName: undefined, args: [] };
  }
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return /^0x[0-9a-fA-F]{40}$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(", ")}]`;
  if (value && typeof value === "object") return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v)}`).join(", ")} }`;
  return String(value);
}

/** One line for a person: `ledger.setResidentCap(1, 500)`, or what could not be decoded. */
export function formatCouncilCall(call: DecodedCouncilCall): string {
  if (!call.functionName) return `${call.target === "other" ? "a contract outside the deployment" : call.target}: a call that does not decode`;
  return `${call.target}.${call.functionName}(${call.args.map(formatValue).join(", ")})`;
}
