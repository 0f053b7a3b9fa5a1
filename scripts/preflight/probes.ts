/**
 * Hand-assembled probes for the opcodes our compiled contracts rely on. Hand-assembled so that each
 * probe uses exactly one of the opcodes under test and nothing newer: solc decides on its own where to
 * emit PUSH0 and MCOPY, which would blur which milestone a failing chain is missing.
 */

/** Every probe returns this word when it ran to the end. */
export const PROBE_WORD = 0xc0den;

/**
 * PUSH0 (EIP-3855, Shanghai): PUSH2 0xc0de; PUSH0; MSTORE; PUSH1 32; PUSH0; RETURN — returns the word.
 * solc ≥ 0.8.20 emits PUSH0 in nearly every contract.
 */
export const PUSH0_RUNTIME = "0x" + ["61c0de", "5f", "52", "6020", "5f", "f3"].join("");

/**
 * MCOPY (EIP-5656, Cancun), with no PUSH0 so a Shanghai chain fails here only:
 * PUSH2 0xc0de; PUSH1 0; MSTORE; PUSH1 32 (length); PUSH1 0 (source); PUSH1 32 (destination); MCOPY;
 * PUSH1 32; PUSH1 32; RETURN — returns the word copied to memory[32..64]. OpenZeppelin 5.5+ emits MCOPY.
 */
export const MCOPY_RUNTIME = "0x" + ["61c0de", "6000", "52", "6020", "6000", "6020", "5e", "6020", "6020", "f3"].join("");

/**
 * Creation code that deploys `runtime`: PUSH1 len; DUP1; PUSH1 11; PUSH1 0; CODECOPY; PUSH1 0; RETURN,
 * followed by the runtime (the 11-byte header copies what follows it).
 */
export function creationCodeFor(runtime: string): string {
  const body = runtime.slice(2);
  const length = body.length / 2;
  if (length > 0xff) throw new Error("probe runtime too long for a one-byte length");
  const hex = (n: number) => n.toString(16).padStart(2, "0");
  return "0x" + ["60" + hex(length), "80", "600b", "6000", "39", "6000", "f3"].join("") + body;
}

/** Creation code whose contract is `size` zero bytes: PUSH3 size; PUSH1 0; RETURN. Tests the code size limit alone. */
export function sizedCreationCode(size: number): string {
  if (size <= 0 || size > 0xffffff) throw new Error(`size ${size} out of range`);
  return "0x62" + size.toString(16).padStart(6, "0") + "6000f3";
}

/** Gas a creation of `size` bytes needs at most: base, code deposit (200 per byte), memory, margin. */
export function creationGasFor(size: number): bigint {
  const words = BigInt(Math.ceil(size / 32));
  return 53_000n + 200n * BigInt(size) + 3n * words + (words * words) / 512n + 100_000n;
}
