/**
 * The relay's ledger index on the in-process chain, fed by a scenario that emits every kind of
 * ledger event: its figures equal the totals worked out by hand, the contract's own supplies, and
 * the SDK auditor's independent rebuild; it starts over when the chain loses the blocks it read;
 * and it keeps its figures, and catches up, across an unreachable chain.
 */
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { ethers, network } from "hardhat";
import { custom, HttpRequestError } from "viem";
import { audit } from "../../sdk/src/auditor/audit";
import { createTransportRpc } from "../../sdk/src/auditor/rpc";
import type { Deployment } from "../../sdk/src/deployment";
import { expectedPositions, quotaAt, supplyAt, type LedgerFigures } from "../../server/indexer/figures";
import { LedgerIndex } from "../../server/indexer/ledgerIndex";
import { createLogger } from "../../server/logger";
import { DEFAULT_QUOTA, DOMAIN } from "../helpers/deploy";
import { deploymentOf, hardhatTransport } from "../sdk/helpers/chain";
import { runScenario, type Scenario } from "../sdk/helpers/scenario";

describe("relay: the ledger index", function () {
  async function scenario(): Promise<{ scenario: Scenario; deployment: Deployment }> {
    const s = await runScenario();
    return { scenario: s, deployment: await deploymentOf(s.setup) };
  }

  /** A chain connection that fails, as an unreachable node does, while `outage.down`. */
  function flakyRpc(outage: { down: boolean }) {
    const provider = network.provider;
    return createTransportRpc(
      custom({
        async request(args: { method: string; params?: unknown[] }) {
          if (outage.down) throw new HttpRequestError({ url: "http://chain.test", details: "connect ECONNREFUSED (simulated outage)" });
          return provider.request(args as never);
        },
      }),
    );
  }

  async function indexed(deployment: Deployment): Promise<LedgerIndex> {
    const index = new LedgerIndex(createTransportRpc(hardhatTransport()), deployment, createLogger("silent"), { pollMs: 20 });
    await index.sync();
    return index;
  }

  async function chainSupply(s: Scenario, domainId: number): Promise<bigint> {
    return (await s.setup.ledger.domain(domainId)).supply;
  }

  async function headBlock(): Promise<number> {
    return ethers.provider.getBlockNumber();
  }

  it("reads every event up to the head and says so", async () => {
    const { deployment } = await loadFixture(scenario);
    const index = await indexed(deployment);
    const status = index.status();
    expect(status.block).to.equal(await headBlock());
    expect(status.head).to.equal(status.block);
    const ledgerLogs = await ethers.provider.getLogs({ address: deployment.ledger, fromBlock: deployment.deployBlock });
    expect(status.events).to.equal(ledgerLogs.length);
  });

  it("folds each domain's flows of the period as worked out by hand; the supply is the contract's", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const f = (await indexed(deployment)).figures;
    for (const [id, e] of Object.entries(s.expected)) {
      const d = f.domains.get(Number(id))!;
      const p = d.periods.get(s.settledPeriod)!;
      expect({ issued: p.issued, redeemed: p.redeemed, exchangedIn: p.exchangedIn, exchangedOut: p.exchangedOut }, `domain ${id}`).to.deep.equal(e);
      const supply = e.issued - e.redeemed - e.exchangedOut + e.exchangedIn;
      expect(supplyAt(d, s.settledPeriod)).to.equal(supply);
      expect(d.supply).to.equal(await chainSupply(s, Number(id)));
    }
    expect(f.domains.get(DOMAIN.culture)!.periods.get(s.settledPeriod)!.transferred).to.equal(40n);
    expect(f.domains.get(DOMAIN.transport)!.periods.get(s.settledPeriod)!.byPartner.get((await s.setup.partner.getAddress()).toLowerCase())).to.deep.equal({
      count: 1,
      amount: 50n,
    });
  });

  it("agrees with the SDK's auditor, which rebuilds the same ledger on its own", async () => {
    const { deployment } = await loadFixture(scenario);
    const f = (await indexed(deployment)).figures;
    const report = await audit({ transport: hardhatTransport(), deployment });
    expect(report.ok).to.equal(true);
    for (const r of report.domains) {
      const d = f.domains.get(r.id)!;
      const sum = (field: "issued" | "redeemed" | "exchangedIn" | "exchangedOut" | "transferred") => [...d.periods.values()].reduce((t, p) => t + p[field], 0n).toString();
      expect({ issued: sum("issued"), redeemed: sum("redeemed"), exchangedIn: sum("exchangedIn"), exchangedOut: sum("exchangedOut"), transferred: sum("transferred"), supply: d.supply.toString() }).to.deep.equal({
        issued: r.issued,
        redeemed: r.redeemed,
        exchangedIn: r.exchangedIn,
        exchangedOut: r.exchangedOut,
        transferred: r.transferred,
        supply: r.supply,
      });
    }
    for (const r of report.agreements) {
      const a = f.agreements.get(BigInt(r.id))!;
      expect({ exchanges: a.total.count, amountIn: a.total.amountIn.toString(), amountOut: a.total.amountOut.toString(), version: a.current }).to.deep.equal({
        exchanges: r.exchanges,
        amountIn: r.amountIn,
        amountOut: r.amountOut,
        version: r.version,
      });
    }
    for (const r of report.periods) {
      for (const [domainId, issued] of Object.entries(r.issued)) {
        expect(f.domains.get(Number(domainId))!.periods.get(r.period)!.issued.toString(), `period ${r.period} domain ${domainId}`).to.equal(issued);
      }
    }
  });

  it("keeps each issuer's issuance per period against the quota in force then", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const f = (await indexed(deployment)).figures;
    const environment = f.issuers.get(`${DOMAIN.environment}:${(await s.setup.agencies[3].getAddress()).toLowerCase()}`)!;
    expect(environment.quotaHistory.map((q) => q.quota)).to.deep.equal([DEFAULT_QUOTA, 5_000n]);
    expect(quotaAt(environment, s.settledPeriod)).to.equal(5_000n);
    expect(environment.issuedByPeriod.get(s.settledPeriod)).to.equal(70n);
    const volunteer = f.issuers.get(`${DOMAIN.volunteer}:${(await s.setup.agencies[0].getAddress()).toLowerCase()}`)!;
    expect(volunteer.issued).to.equal(2_000n);
    expect(quotaAt(volunteer, s.settledPeriod)).to.equal(DEFAULT_QUOTA);
  });

  it("keeps the agreement's version in force, its terms and its exchanges per period", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const f = (await indexed(deployment)).figures;
    const a = f.agreements.get(await s.setup.ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.transport))!;
    const onChain = await s.setup.ledger.agreement(a.id);
    expect(a.current).to.equal(Number(onChain.current.version));
    const terms = a.versions.get(a.current!)!;
    expect([terms.rateNum, terms.rateDen, terms.periodCap]).to.deep.equal([onChain.current.rateNum, onChain.current.rateDen, onChain.current.periodCap]);
    expect([a.pending, a.suspendedByFrom, a.suspendedByTo]).to.deep.equal([undefined, false, false]);
    expect(a.byPeriod.get(s.settledPeriod)).to.deep.equal({ count: 3, amountIn: 120n, amountOut: 50n });
  });

  it("rebuilds the settled period: what the exchanges owe, the published positions, the confirmations", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const f = (await indexed(deployment)).figures;
    const st = f.settlements.get(s.settledPeriod)!;
    expect(Object.fromEntries(expectedPositions(st))).to.deep.equal({ [DOMAIN.volunteer]: -1_000n, [DOMAIN.transport]: 1_000n });
    for (const domainId of [DOMAIN.volunteer, DOMAIN.transport]) {
      const onChain = await s.setup.ledger.settlementPosition(s.settledPeriod, domainId);
      const published = st.published.get(domainId)!;
      expect([published.net, published.confirmed, published.paymentRef]).to.deep.equal([onChain.net, onChain.confirmed, onChain.paymentRef]);
    }
    expect([st.closed, st.completed, st.exchanges]).to.deep.equal([true, true, 3]);
    const closing = await ethers.provider.getLogs({ address: deployment.ledger, fromBlock: deployment.deployBlock, topics: [s.setup.ledger.interface.getEvent("PeriodClosed").topicHash] });
    expect(st.closedIn).to.equal(closing[0].transactionHash);
  });

  it("lists each domain's events per period in chain order", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const f = (await indexed(deployment)).figures;
    const culture = f.domains.get(DOMAIN.culture)!.periods.get(s.settledPeriod)!.events;
    expect(culture.map((e) => e.name)).to.deep.equal(["DomainCreated", "IssuerQuotaSet", "PointsIssued", "PointsTransferred", "ResidentCapChanged"]);
    const transfer = culture[3];
    expect(transfer.args).to.deep.include({ domainId: DOMAIN.culture, amount: "40", to: (await s.setup.residents[0].getAddress()).toLowerCase() });
    const receipt = (await ethers.provider.getTransactionReceipt(transfer.transactionHash))!;
    expect(transfer.blockNumber).to.equal(receipt.blockNumber);
    expect(transfer.time).to.equal((await ethers.provider.getBlock(receipt.blockNumber))!.timestamp);
    const transport = f.domains.get(DOMAIN.transport)!.periods.get(s.settledPeriod)!.events;
    expect(transport.filter((e) => e.name === "PointsExchanged")).to.have.length(3);
    const positions = transport.map((e) => e.blockNumber * 1_000 + e.logIndex);
    expect(positions).to.deep.equal([...positions].sort((a, b) => a - b));
  });

  it("starts over when the chain no longer has the last block it read", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const index = await indexed(deployment);
    const volunteer = () => index.figures.domains.get(DOMAIN.volunteer)!;
    const resident = await s.setup.residents[5].getAddress();
    const snapshot = await ethers.provider.send("evm_snapshot", []);
    await s.setup.ledger.connect(s.setup.agencies[0]).issue(DOMAIN.volunteer, resident, 5, 9_001);
    await index.sync();
    const before = volunteer().supply;
    expect(before).to.equal(await chainSupply(s, DOMAIN.volunteer));
    // The node loses that block (as a local chain restarted from older state does) and mines another.
    await ethers.provider.send("evm_revert", [snapshot]);
    await s.setup.ledger.connect(s.setup.agencies[0]).issue(DOMAIN.volunteer, resident, 7, 9_002);
    await index.sync();
    expect(volunteer().supply).to.equal(before - 5n + 7n);
    expect(volunteer().supply).to.equal(await chainSupply(s, DOMAIN.volunteer));
    expect(index.status().block).to.equal(await headBlock());
  });

  it("keeps its figures while the chain is unreachable, says so, and catches up when it answers again", async () => {
    const { scenario: s, deployment } = await loadFixture(scenario);
    const outage = { down: false };
    const index = new LedgerIndex(flakyRpc(outage), deployment, createLogger("silent"), { pollMs: 10, maxBackoffMs: 40 });
    const until = async (what: string, check: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}: ${JSON.stringify(index.status())}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    index.start();
    try {
      const head = await headBlock();
      await until("caught up", () => index.status().upToDate && index.status().block === head);
      const figures: LedgerFigures = index.figures;
      const supply = figures.domains.get(DOMAIN.volunteer)!.supply;
      outage.down = true;
      await s.setup.ledger.connect(s.setup.agencies[0]).issue(DOMAIN.volunteer, await s.setup.residents[6].getAddress(), 11, 9_003);
      await until("the outage is seen", () => !index.status().chainReachable);
      expect(index.status()).to.deep.include({ block: head, upToDate: false, chainReachable: false });
      expect(index.figures.domains.get(DOMAIN.volunteer)!.supply).to.equal(supply);
      outage.down = false;
      const newHead = await headBlock();
      await until("caught up again", () => index.status().block === newHead);
      expect(index.status()).to.deep.include({ upToDate: true, chainReachable: true });
      expect(index.figures.domains.get(DOMAIN.volunteer)!.supply).to.equal(supply + 11n);
    } finally {
      await index.stop();
    }
  });
});
