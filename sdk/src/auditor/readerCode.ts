/**
 * The runtime code of a tiny read-only contract the auditor places at an unused address with an
 * `eth_call` state override, so that one call reads thousands of values from the ledger.
 *
 * Calldata: target address (word 0), a selector (left-aligned in word 1), then items of two words
 * each. For every item it STATICCALLs `target` with `selector ‖ item` and appends the first word
 * of the answer; it returns those words, one per item, and reverts if any call fails or answers
 * short. So `balanceOf(address,uint256)` and `nonces(address,uint32)` both fit.
 *
 * Written as assembly below (assembled at load, labels resolved) rather than compiled, so the SDK
 * needs no compiler and the code stays readable.
 */

const OPCODES: Record<string, number> = {
  ADD: 0x01, SUB: 0x03, LT: 0x10, GT: 0x11, ISZERO: 0x15, SHR: 0x1c,
  CALLDATALOAD: 0x35, CALLDATASIZE: 0x36, CALLDATACOPY: 0x37, RETURNDATASIZE: 0x3d,
  MSTORE: 0x52, JUMP: 0x56, JUMPI: 0x57, GAS: 0x5a, JUMPDEST: 0x5b,
  DUP1: 0x80, DUP2: 0x81, DUP3: 0x82, DUP4: 0x83,
  RETURN: 0xf3, STATICCALL: 0xfa, REVERT: 0xfd,
};

// Memory: [0, 0x44) the call's input; from 0x80 the answers. Stack: p, the calldata offset of the item.
// An item at p answers at 0x80 + (p − 0x40) / 2 = p / 2 + 0x60.
const PROGRAM: (string | number)[] = [
  "PUSH1", 0x40, //                                       [p = 64]
  "@loop", "JUMPDEST",
  "CALLDATASIZE", "DUP2", "LT", "ISZERO", "PUSH2", ">end", "JUMPI", // while (p < calldatasize)
  "PUSH1", 0x20, "CALLDATALOAD", "PUSH1", 0x00, "MSTORE", //  mem[0..32) = selector word
  "PUSH1", 0x40, "DUP2", "PUSH1", 0x04, "CALLDATACOPY", //    mem[4..68) = item
  "PUSH1", 0x20, //                                         retSize
  "DUP2", "PUSH1", 0x01, "SHR", "PUSH1", 0x60, "ADD", //    retOffset = p/2 + 0x60
  "PUSH1", 0x44, "PUSH1", 0x00, //                          argsSize, argsOffset
  "PUSH1", 0x00, "CALLDATALOAD", //                         target
  "GAS", "STATICCALL",
  "ISZERO", "PUSH2", ">fail", "JUMPI",
  "PUSH1", 0x20, "RETURNDATASIZE", "LT", "PUSH2", ">fail", "JUMPI", // an answer shorter than a word
  "PUSH1", 0x40, "ADD", "PUSH2", ">loop", "JUMP", //         p += 64
  "@end", "JUMPDEST",
  "PUSH1", 0x20, "DUP2", "PUSH1", 0x01, "SHR", "SUB", //    size = p/2 − 32
  "PUSH1", 0x80, "RETURN",
  "@fail", "JUMPDEST", "PUSH1", 0x00, "DUP1", "REVERT",
];

function assemble(program: (string | number)[]): string {
  const labels = new Map<string, number>();
  const size = (token: string | number): number => {
    if (typeof token === "number") return 1;
    if (token.startsWith("@")) return 0;
    if (token.startsWith(">")) return 2;
    return 1;
  };
  let pc = 0;
  for (const token of program) {
    if (typeof token === "string" && token.startsWith("@")) labels.set(token.slice(1), pc);
    pc += size(token);
  }
  const bytes: number[] = [];
  for (const token of program) {
    if (typeof token === "number") bytes.push(token);
    else if (token.startsWith("@")) continue;
    else if (token.startsWith(">")) {
      const target = labels.get(token.slice(1));
      if (target === undefined) throw new Error(`reader code: unknown label ${token}`);
      bytes.push(target >> 8, target & 0xff);
    } else if (token === "PUSH1") bytes.push(0x60);
    else if (token === "PUSH2") bytes.push(0x61);
    else {
      const op = OPCODES[token];
      if (op === undefined) throw new Error(`reader code: unknown opcode ${token}`);
      bytes.push(op);
    }
  }
  return "0x" + bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
}

export const READER_CODE = assemble(PROGRAM);
/** An address no deployment uses, where the reader lives for the duration of one call. */
export const READER_ADDRESS = "0x00000000000000000000000000000000ca11ab1e";
