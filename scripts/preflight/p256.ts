/**
 * Whether a chain has the P256VERIFY precompile (EIP-7951 at 0x100, active with Osaka; Besu
 * 25.7.0 and later), and what a passkey signature costs there without it. Passkey accounts work
 * either way: OpenZeppelin's P256 falls back to a Solidity verification, which the probe measures
 * by running contracts/probes/P256GasProbe.sol's creation code through eth_call.
 */
import { decodeErrorResult, encodeDeployData, type Abi, type Hex } from "viem";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { rpcCall, RpcError } from "../network/rpc";

export const P256VERIFY_ADDRESS = "0x0000000000000000000000000000000000000100";
/** What EIP-7951 charges for one verification. */
export const P256VERIFY_GAS = 6_900;

/**
 * A valid P-256 signature with small r and s, from Wycheproof's ecdsa_secp256r1_sha256_p1363 vectors
 * (the one OpenZeppelin's P256 uses to tell a missing precompile from a refused signature).
 */
export const P256_VECTOR = {
  h: "0xbb5a52f42f9c9261ed4361f59422a1e30036e7c32b270c8807a419feca605023",
  r: "0x0000000000000000000000000000000000000000000000000000000000000005",
  s: "0x0000000000000000000000000000000000000000000000000000000000000001",
  qx: "0xa71af64de5126a4a4e02b7922d66ce9415ce88a4c9d25514d91082c8725ac957",
  qy: "0x5d47723c8fbe580bb369fec9c2665d8e30a435b9932645482e7c9f11e872296b",
} as const;

const PROBE = join(__dirname, "..", "..", "artifacts", "contracts", "probes", "P256GasProbe.sol", "P256GasProbe.json");

export interface P256Report {
  precompile: boolean;
  /** Gas of one verification by the Solidity fallback (undefined if it could not be measured). */
  fallbackGas?: number;
}

/** Asks the precompile to verify the vector, and measures the fallback on the same chain. */
export async function probeP256(url: string): Promise<P256Report> {
  const v = P256_VECTOR;
  const input = ("0x" + [v.h, v.r, v.s, v.qx, v.qy].map((w) => w.slice(2)).join("")) as Hex;
  const output = await rpcCall<string>(url, "eth_call", [{ to: P256VERIFY_ADDRESS, data: input }, "latest"], 15_000);
  const precompile = output !== "0x" && BigInt(output) === 1n;
  return { precompile, fallbackGas: await fallbackGas(url) };
}

async function fallbackGas(url: string): Promise<number | undefined> {
  const { abi, bytecode } = JSON.parse(readFileSync(PROBE, "utf8")) as { abi: Abi; bytecode: Hex };
  const v = P256_VECTOR;
  const data = encodeDeployData({ abi, bytecode, args: [v.h, v.r, v.s, v.qx, v.qy] });
  try {
    await rpcCall<string>(url, "eth_call", [{ data, gas: "0x" + (5_000_000).toString(16) }, "latest"], 15_000);
  } catch (error) {
    const revert = error instanceof RpcError ? revertData(error) : undefined;
    if (!revert) return undefined;
    const decoded = decodeErrorResult({ abi, data: revert });
    const [valid, gasUsed] = (decoded.args ?? []) as readonly unknown[];
    if (decoded.errorName === "P256GasProbeMeasured" && valid === true && typeof gasUsed === "bigint") return Number(gasUsed);
  }
  return undefined;
}

function revertData(error: RpcError): Hex | undefined {
  const data = error.data;
  if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data as Hex;
  const nested = (data as { data?: unknown } | undefined)?.data;
  return typeof nested === "string" && /^0x[0-9a-fA-F]{8,}$/.test(nested) ? (nested as Hex) : undefined;
}
