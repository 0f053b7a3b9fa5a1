import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { toFunctionSelector } from "viem";
import { RpcRequestError } from "../../sdk/src/errors/rpc";
import { fetchLogPages } from "../../sdk/src/auditor/logs";
import { PairReader } from "../../sdk/src/auditor/reader";
import { createTransportRpc, type RpcClient } from "../../sdk/src/auditor/rpc";
import type { RawLog } from "../../sdk/src/auditor/decode";
import { deployLedger, DOMAIN } from "../helpers/deploy";
import { hardhatTransport } from "./helpers/chain";

const BALANCE_OF = toFunctionSelector("balanceOf(address,uint256)");

/** The in-process chain, seen through a node that refuses state overrides. */
function withoutOverrides(rpc: RpcClient, calls: string[]): RpcClient {
  return {
    label: "no-overrides",
    request: async <T>(method: string, params: unknown[]): Promise<T> => {
      calls.push(`${method}/${params.length}`);
      if (method === "eth_call" && params.length > 2) throw new RpcRequestError(method, -32602, "too many arguments, want at most 2");
      return rpc.request<T>(method, params);
    },
    batch: (c) => {
      calls.push(`batch of ${c.length}`);
      return rpc.batch(c);
    },
  };
}

describe("auditor's chain reads", function () {
  async function holders() {
    const setup = await deployLedger();
    const residents = Array.from({ length: 30 }, (_, i) => ethers.getAddress(ethers.toBeHex(0x7000 + i, 20)));
    await setup.ledger.connect(setup.agencies[1]).issueBatch(DOMAIN.transport, residents.map((resident, i) => ({ resident, amount: i + 1, claimId: i })));
    return { setup, residents, block: await ethers.provider.getBlockNumber() };
  }

  it("reads balances through a state override, many per call", async function () {
    const { setup, residents, block } = await loadFixture(holders);
    const reader = new PairReader(createTransportRpc(hardhatTransport()), await setup.ledger.getAddress());
    const items = [...residents.map((address) => ({ address, id: DOMAIN.transport })), { address: residents[0], id: DOMAIN.volunteer }];
    const values = await reader.read(BALANCE_OF, items, { blockNumber: block, chunkSize: 7 });
    expect(values).to.deep.equal([...residents.map((_, i) => BigInt(i + 1)), 0n]);
    expect(reader.method).to.equal("state-override");
  });

  it("falls back to batched calls on a node that refuses overrides, and does not ask again", async function () {
    const { setup, residents, block } = await loadFixture(holders);
    const calls: string[] = [];
    const reader = new PairReader(withoutOverrides(createTransportRpc(hardhatTransport()), calls), await setup.ledger.getAddress());
    const items = residents.map((address) => ({ address, id: DOMAIN.transport }));
    expect(await reader.read(BALANCE_OF, items, { blockNumber: block, batchSize: 10 })).to.deep.equal(residents.map((_, i) => BigInt(i + 1)));
    expect(reader.method).to.equal("batched-calls");
    expect(await reader.read(BALANCE_OF, items.slice(0, 2), { blockNumber: block })).to.deep.equal([1n, 2n]);
    expect(calls).to.deep.equal(["eth_call/3", "batch of 10", "batch of 10", "batch of 10", "batch of 2"]);
  });

  it("reads at the block asked, not the latest", async function () {
    const { setup, residents, block } = await loadFixture(holders);
    await setup.ledger.connect(setup.agencies[1]).issue(DOMAIN.transport, residents[0], 100, 999);
    const reader = new PairReader(createTransportRpc(hardhatTransport()), await setup.ledger.getAddress());
    expect(await reader.read(BALANCE_OF, [{ address: residents[0], id: DOMAIN.transport }], { blockNumber: block })).to.deep.equal([1n]);
  });
});

describe("auditor's log pages", function () {
  /** A node with one log every third block, that refuses answers of more than 20 logs. */
  function fakeNode(requests: [number, number][]): RpcClient {
    const logAt = (block: number): RawLog => ({ address: "0x1", topics: [], data: "0x", blockNumber: "0x" + block.toString(16), transactionHash: "0x", logIndex: "0x0" });
    return {
      label: "fake",
      batch: () => Promise.reject(new Error("unused")),
      request: async <T>(_method: string, params: unknown[]): Promise<T> => {
        const { fromBlock, toBlock } = params[0] as { fromBlock: string; toBlock: string };
        const [from, to] = [Number(fromBlock), Number(toBlock)];
        requests.push([from, to]);
        const logs: RawLog[] = [];
        for (let b = from; b <= to; b++) if (b % 3 === 0) logs.push(logAt(b));
        if (logs.length > 20) throw new RpcRequestError("eth_getLogs", -32005, "query returned more than 20 results");
        return logs as T;
      },
    };
  }

  it("covers the range once, in order, within the block limit, splitting pages a node refuses", async function () {
    const requests: [number, number][] = [];
    const blocks: number[] = [];
    for await (const page of fetchLogPages(fakeNode(requests), { addresses: ["0x1"], fromBlock: 10, toBlock: 1_000, maxBlockRange: 90, targetLogsPerPage: 15 })) {
      blocks.push(...page.logs.map((l) => parseInt(l.blockNumber, 16)));
    }
    const expected = Array.from({ length: 1_001 }, (_, b) => b).filter((b) => b >= 10 && b % 3 === 0);
    expect(blocks).to.deep.equal(expected);
    expect(requests.every(([from, to]) => to - from + 1 <= 90)).to.equal(true);
    expect(requests.some(([from, to]) => to - from + 1 > 60)).to.equal(true); // one was refused (over 20 logs) and split
  });
});
