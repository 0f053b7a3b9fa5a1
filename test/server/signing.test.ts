import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { encodeFunctionData, getAddress, keccak256, parseTransaction, recoverTransactionAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { encodeIssueBatch, type BatchItem } from "../../server/chain/issueBatchData";
import { keccakHex } from "../../server/chain/keccak";
import { signCall } from "../../server/chain/signer";

const hex = (bytes: number): Hex => `0x${randomBytes(bytes).toString("hex")}`;
const UINT256_MAX = (1n << 256n) - 1n;

function randomItems(count: number): BatchItem[] {
  return Array.from({ length: count }, (_, i) => ({
    // Checksummed (mixed case), as most addresses arrive, or lower case.
    resident: i % 2 === 0 ? getAddress(hex(20)) : hex(20),
    amount: i === 0 ? UINT256_MAX : BigInt(`0x${randomBytes(1 + (i % 32)).toString("hex")}`),
    claimId: i === 1 ? 0n : BigInt(`0x${randomBytes(32).toString("hex")}`),
  }));
}

describe("the relay's signing step (server/chain/signer.ts, keccak.ts, issueBatchData.ts)", () => {
  it("hashes as viem's keccak256 does, for empty, short and batch-sized input", () => {
    for (const data of ["0x" as Hex, hex(1), hex(135), hex(136), hex(137), hex(29_000)]) expect(keccakHex(data)).to.equal(keccak256(data));
  });

  it("encodes issueBatch exactly as viem's ABI encoder does", () => {
    for (const [domain, count] of [[1, 0], [4, 1], [0xffffffff, 3], [2, 302]] as const) {
      const items = randomItems(count);
      const viem = encodeFunctionData({ abi: pointsLedgerAbi, functionName: "issueBatch", args: [domain, items.map((i) => ({ ...i, resident: i.resident as Hex }))] });
      expect(encodeIssueBatch(domain, items), `domain ${domain}, ${count} items`).to.equal(viem.toLowerCase());
    }
  });

  it("refuses what does not fit the ABI types instead of encoding something else", () => {
    const ok = randomItems(1)[0];
    expect(() => encodeIssueBatch(-1, [ok])).to.throw(RangeError, /uint32/);
    expect(() => encodeIssueBatch(2 ** 32, [ok])).to.throw(RangeError, /uint32/);
    expect(() => encodeIssueBatch(1, [{ ...ok, amount: -1n }])).to.throw(RangeError, /amount/);
    expect(() => encodeIssueBatch(1, [{ ...ok, claimId: UINT256_MAX + 1n }])).to.throw(RangeError, /claim id/);
    expect(() => encodeIssueBatch(1, [{ ...ok, resident: "0x1234" }])).to.throw(RangeError, /address/);
  });

  it("signs the very bytes viem's signTransaction signs, with the hash the node will report", async () => {
    const account = privateKeyToAccount(hex(32));
    const call = { to: privateKeyToAccount(hex(32)).address, data: encodeIssueBatch(1, randomItems(50)), nonce: 7, gas: 3_000_000n, gasPrice: 0n, chainId: 31_337 };
    const signed = await signCall(account, call);
    const viem = await account.signTransaction({ type: "legacy", ...call, value: 0n });
    expect(signed.raw).to.equal(viem);
    expect(signed.hash).to.equal(keccak256(viem));
    expect(await recoverTransactionAddress({ serializedTransaction: signed.raw as never })).to.equal(account.address);
    const parsed = parseTransaction(signed.raw);
    expect([parsed.chainId, parsed.nonce, parsed.gas, parsed.data]).to.deep.equal([31_337, 7, 3_000_000n, call.data]);
  });
});
