/**
 * Whether a contract on chain runs the code this repository builds: its runtime code equals the
 * build's, byte for byte, outside the places the compiler leaves for immutables (which the
 * constructor fills in: the ledger's period clock and EIP-712 domain). The build's code comes from
 * sdk/src/abi/runtimeCode.ts, written by `npm run abi` from the Hardhat build info; it ends with the
 * compiler's metadata hash of the sources, so a contract built from other sources differs too.
 */
import type { Hex } from "viem";
import type { RuntimeCode } from "../abi";

export interface CodeComparison {
  matches: boolean;
  /** Byte offset of the first difference outside the immutables (the shorter length if one is a prefix). */
  firstDifference: number | undefined;
  onChainBytes: number;
  expectedBytes: number;
}

/** Compares `onChain` (as `eth_getCode` returns it) with the build's runtime code. */
export function compareRuntimeCode(onChain: Hex, expected: RuntimeCode): CodeComparison {
  const actual = onChain.slice(2).toLowerCase();
  const built = expected.object.slice(2).toLowerCase();
  const onChainBytes = actual.length / 2;
  const expectedBytes = built.length / 2;
  // Immutable references sorted by start (the export step sorts them) let one pass skip them.
  const refs = expected.immutableReferences;
  let r = 0;
  const length = Math.min(onChainBytes, expectedBytes);
  for (let i = 0; i < length; i++) {
    while (r < refs.length && refs[r].start + refs[r].length <= i) r++;
    if (r < refs.length && refs[r].start <= i) continue;
    if (actual.substr(2 * i, 2) !== built.substr(2 * i, 2)) return { matches: false, firstDifference: i, onChainBytes, expectedBytes };
  }
  const matches = onChainBytes === expectedBytes;
  return { matches, firstDifference: matches ? undefined : length, onChainBytes, expectedBytes };
}
