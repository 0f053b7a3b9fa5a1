/**
 * A resident's history (GET /v1/residents/:address/history) comes in pages: each request scans at
 * most HISTORY_PAGE_BLOCKS blocks and holds at most HISTORY_PAGE_ENTRIES events, and says where the
 * next page starts; following the cursors gives every event once, in order, also when a page ends
 * inside a block. The SDK's getHistory follows the cursors; getHistoryPage reads one page.
 */
import { expect } from "chai";
import hre from "hardhat";
import { createAgencyClient } from "../../sdk/src/agency/client";
import { randomAddress, signed, startRelay, publicRequest, waitFinal, type RelayFixture } from "./helpers/relayFixture";

describe("relay: a resident's history, in pages", function () {
  this.timeout(120_000);
  let fx: RelayFixture;
  const resident = randomAddress();
  const getLogs: unknown[][] = [];
  let claim = 0;

  async function issue(amounts: number[]): Promise<void> {
    const items = amounts.map((amount) => ({ resident, amount: String(amount), claimId: String((claim += 1)) }));
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances/batch", { items });
    expect(res.status).to.equal(202);
    for (const op of res.body.operations) expect((await waitFinal(fx, op.id)).status).to.equal("confirmed");
  }
  const mine = (blocks: number) => hre.network.provider.request({ method: "hardhat_mine", params: [`0x${blocks.toString(16)}`] });

  before(async () => {
    fx = await startRelay({
      listen: true,
      env: { HISTORY_PAGE_BLOCKS: "1000", HISTORY_PAGE_ENTRIES: "3", BATCH_MAX_WAIT_MS: "200" },
      onRpc: (method, params) => (method === "eth_getLogs" ? getLogs.push(params) : undefined),
    });
    await issue([1]);
    await mine(2_500);
    await issue([2]);
    await issue([3, 4, 5, 6]); // one transaction: four events in one block, across a page's end
    await mine(1_200);
    await issue([7]);
  });
  after(async () => fx.stop());

  it("follows `next` through pages of at most 3 events and 1,000 blocks, every event once and in order", async () => {
    const amounts: string[] = [];
    const pages: { entries: number; next: string | null }[] = [];
    let cursor: string | null | undefined;
    await fx.relay.ledgerIndex.stop(); // its own eth_getLogs polling is not the history's chain work
    do {
      getLogs.length = 0;
      const res = await publicRequest(fx).get(`/v1/residents/${resident}/history${cursor ? `?cursor=${cursor}` : ""}`);
      expect(res.status).to.equal(200);
      expect(res.body.entries.length).to.be.at.most(3);
      // Five event filters, each over at most one span of 5,000 blocks: the chain work of one page.
      expect(getLogs.length).to.be.at.most(5);
      for (const [filter] of getLogs as [{ fromBlock: string; toBlock: string }][]) expect(Number(filter.toBlock) - Number(filter.fromBlock) + 1).to.be.at.most(1_000);
      amounts.push(...res.body.entries.map((e: { amount: string }) => e.amount));
      pages.push({ entries: res.body.entries.length, next: res.body.next });
      cursor = res.body.next;
    } while (cursor && pages.length < 50);
    expect(amounts).to.deep.equal(["1", "2", "3", "4", "5", "6", "7"]);
    expect(pages.length).to.be.greaterThan(4);
    expect(pages.some((p) => p.entries === 0 && p.next !== null), "a page may scan blocks without events and still go on").to.equal(true);
    expect(pages.at(-1)!.next).to.equal(null);
  });

  it("ends a full page inside a block and goes on from the event after it", async () => {
    const pages: { amounts: string[]; blocks: number[]; next: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res = await publicRequest(fx).get(`/v1/residents/${resident}/history${cursor ? `?cursor=${cursor}` : ""}`);
      pages.push({ amounts: res.body.entries.map((e: { amount: string }) => e.amount), blocks: res.body.entries.map((e: { blockNumber: number }) => e.blockNumber), next: res.body.next });
      cursor = res.body.next;
    } while (cursor && pages.length < 50);
    // The four events of one transaction do not fit the page that reaches them.
    const cut = pages.findIndex((p) => p.next !== null && p.blocks.length === 3 && p.next.startsWith(`${p.blocks[2]}-`));
    expect(cut, JSON.stringify(pages)).to.be.greaterThan(-1);
    const last = Number(pages[cut].amounts[2]);
    expect(pages[cut].next).to.match(/-[1-9][0-9]*$/);
    expect(pages[cut + 1].amounts[0]).to.equal(String(last + 1));
    expect(pages[cut + 1].blocks[0]).to.equal(pages[cut].blocks[2]);
  });

  it("refuses a cursor that is not one with 400, and the SDK reads the whole history through the cursors", async () => {
    const bad = await publicRequest(fx).get(`/v1/residents/${resident}/history?cursor=latest`);
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body.error.details)).to.include("cursor must be a page's next cursor");
    const client = createAgencyClient({ url: fx.url!, keyId: fx.agencies[0].keyId, secret: fx.agencies[0].secret });
    const history = await client.getHistory({ resident });
    expect(history.map((e) => e.amount)).to.deep.equal([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    const first = await client.getHistoryPage({ resident });
    expect(first.entries.map((e) => e.amount)).to.deep.equal([1n]);
    expect(first.next).to.be.a("string");
  });
});
