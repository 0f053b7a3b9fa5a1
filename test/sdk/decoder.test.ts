import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { decodeEventLog, encodeAbiParameters, toEventSelector, toHex, type AbiEvent, type Hex } from "viem";
import { cityCouncilAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import { createEventDecoder, type RawLog } from "../../sdk/src/auditor/decode";
import { DOMAIN } from "../helpers/deploy";
import { runScenario } from "./helpers/scenario";

/** viem's generic decoder, normalised to the auditor's conventions (lower-case addresses). */
function reference(log: RawLog, abi: typeof pointsLedgerAbi | typeof cityCouncilAbi) {
  const decoded = decodeEventLog({ abi, data: log.data as Hex, topics: log.topics as [Hex, ...Hex[]] });
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(decoded.args as Record<string, unknown>)) {
    args[key] = typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) ? value.toLowerCase() : value;
  }
  return { name: decoded.eventName, args };
}

/** Numbers where the auditor uses numbers (uint of at most 32 bits), for comparison. */
function widen(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, typeof v === "number" ? BigInt(v) : v]));
}

describe("auditor's event decoder", function () {
  async function logsOfEveryKind() {
    const scenario = await runScenario();
    const { ledger, council, agencies, members, pauser, asCouncil } = scenario.setup;
    await ledger.connect(pauser).pause();
    await asCouncil("unpause", []);
    await asCouncil("setDomainAgency", [DOMAIN.environment, await agencies[3].getAddress()]);
    await asCouncil("setTransferable", [DOMAIN.transport, true]);
    await ledger.connect(pauser).suspendIssuer(DOMAIN.culture, await agencies[2].getAddress());
    await asCouncil("reinstateIssuer", [DOMAIN.culture, await agencies[2].getAddress()]);
    await asCouncil("removeIssuer", [DOMAIN.culture, await agencies[2].getAddress()]);
    await council.connect(members[0]).propose(await ledger.getAddress(), "0x", ethers.ZeroHash);
    await council.connect(members[0]).revokeApproval(await council.proposalCount());
    const logs = (await network.provider.request({
      method: "eth_getLogs",
      params: [{ fromBlock: "0x0", toBlock: "latest", address: [await ledger.getAddress(), await council.getAddress()] }],
    })) as RawLog[];
    return { logs, ledger: await ledger.getAddress(), council: await council.getAddress() };
  }

  it("decodes every log as viem's ABI decoder does", async function () {
    const { logs, ledger, council } = await loadFixture(logsOfEveryKind);
    const decoder = createEventDecoder({ ledger, council });
    const names = new Set<string>();
    for (const log of logs) {
      const ours = decoder.decode(log)!;
      const abi = log.address.toLowerCase() === ledger.toLowerCase() ? pointsLedgerAbi : cityCouncilAbi;
      const theirs = reference(log, abi);
      expect(ours.name).to.equal(theirs.name);
      expect(widen(ours.args as Record<string, unknown>)).to.deep.equal(widen(theirs.args));
      expect(ours.blockNumber).to.equal(parseInt(log.blockNumber, 16));
      expect(ours.logIndex).to.equal(parseInt(log.logIndex, 16));
      names.add(ours.name);
    }
    const expected = [
      "LedgerConfigured", "LedgerPaused", "LedgerUnpaused", "DomainCreated", "DomainAgencyChanged", "ResidentCapChanged",
      "TransferPolicyChanged", "DomainPaused", "DomainUnpaused", "IssuerQuotaSet", "IssuerRemoved", "IssuerSuspended",
      "IssuerReinstated", "PartnerSet", "PointsIssued", "PointsExchanged", "PointsRedeemed", "PointsTransferred",
      "AgreementProposed", "AgreementApproved", "AgreementActivated", "AgreementSuspensionChanged", "SettlementPublished",
      "PeriodClosed", "SettlementConfirmed", "SettlementCompleted", "RoleGranted", "ProposalCreated", "ProposalApproved",
      "ProposalApprovalRevoked", "ProposalExecuted", "MemberAdded", "ThresholdChanged", "ProposalLifetimeChanged",
    ];
    expect([...names].sort()).to.deep.equal(expected.sort());
  });

  it("decodes a string field's bytes as UTF-8 the way Node's Buffer does: BOM kept, malformed bytes replaced", function () {
    const event = pointsLedgerAbi.find((item) => item.type === "event" && item.name === "DomainCreated") as AbiEvent;
    const name = Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("志愿者 points"), 0xc3, 0x28, 0xe2, 0x82, 0xf0, 0x9f, 0x92]);
    const nonIndexed = event.inputs.filter((input) => !input.indexed);
    // A string is laid out as bytes are: "bytes" lets the test put malformed UTF-8 on the wire.
    const data = encodeAbiParameters(
      nonIndexed.map((input) => ({ type: input.type === "string" ? "bytes" : input.type })),
      nonIndexed.map((input) => ({ name: toHex(name), agency: "0x00000000000000000000000000000000000000a1", pointValue: 10, residentCap: 0n, transferable: false })[input.name!]),
    );
    const topics = [toEventSelector(event), ...event.inputs.filter((input) => input.indexed).map(() => toHex(7, { size: 32 }))];
    const ledger = "0x00000000000000000000000000000000000000b2";
    const decoder = createEventDecoder({ ledger, council: "0x00000000000000000000000000000000000000c3" });
    const decoded = decoder.decode({ address: ledger, topics, data, blockNumber: "0x1", transactionHash: toHex(1, { size: 32 }), logIndex: "0x0" });
    const args = decoded?.args as { name: string } | undefined;
    expect(args?.name).to.equal(Buffer.from(name).toString("utf8"));
    expect(args?.name.startsWith("\uFEFF志愿者 points\uFFFD(")).to.equal(true);
  });

  it("ignores logs of other contracts, unknown topics and truncated data", async function () {
    const { logs, ledger, council } = await loadFixture(logsOfEveryKind);
    const decoder = createEventDecoder({ ledger, council });
    const issued = logs.find((l) => decoder.decode(l)?.name === "PointsIssued")!;
    expect(decoder.decode({ ...issued, address: ethers.Wallet.createRandom().address })).to.equal(undefined);
    expect(decoder.decode({ ...issued, topics: [ethers.id("Other()"), ...issued.topics.slice(1)] })).to.equal(undefined);
    expect(decoder.decode({ ...issued, data: issued.data.slice(0, 66) })).to.equal(undefined);
    expect(decoder.decode({ ...issued, topics: issued.topics.slice(0, 2) })).to.equal(undefined);
  });
});
