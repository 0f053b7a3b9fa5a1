/**
 * I8 on a real chain: council-only changes that did not come through the council's process, made
 * with the node's test-only powers (impersonating the council, rewriting the council's storage),
 * and deployment records that point at other code. Each must be reported, naming its transaction.
 */
import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { audit } from "../../sdk/src/auditor/audit";
import { compareRuntimeCode } from "../../sdk/src/auditor/codeCheck";
import { pointsLedgerRuntimeCode } from "../../sdk/src/abi";
import type { AuditReport } from "../../sdk/src/auditor/report";
import { CodeMismatchError } from "../../sdk/src/errors/rpc";
import { deployLedger, DOMAIN } from "../helpers/deploy";
import { deploymentOf, hardhatTransport } from "./helpers/chain";
import { readSlot, writeSlot } from "./helpers/storage";

/** CityCouncil.sol's storage: `_members` 0, `_memberships` 1, `_threshold` 2, `_proposalLifetime` 3, `_proposals` 4. */
const COUNCIL_SLOT = { threshold: 2n, proposals: 4n } as const;
/** Words per Proposal: (target, executed, expiresAt), proposer, descriptionHash, data. */
const PROPOSAL_WORDS = 4n;

function proposalSlot(proposalId: bigint): bigint {
  return BigInt(ethers.keccak256(ethers.toBeHex(COUNCIL_SLOT.proposals, 32))) + (proposalId - 1n) * PROPOSAL_WORDS;
}

const found = (report: AuditReport) => report.violations.map((v) => [v.invariant, v.code, v.transactionHash]);

describe("audit: governance provenance (I8)", function () {
  async function fresh() {
    const setup = await deployLedger();
    return { setup, deployment: await deploymentOf(setup) };
  }

  const auditOf = (deployment: Awaited<ReturnType<typeof fresh>>["deployment"]) => audit({ transport: hardhatTransport(), deployment });

  it("finds nothing in a ledger whose changes all went through the council", async function () {
    const { setup, deployment } = await loadFixture(fresh);
    await setup.asCouncil("setResidentCap", [DOMAIN.volunteer, 500]);
    await setup.asCouncil("setIssuerQuota", [DOMAIN.transport, await setup.stranger.getAddress(), 70]);
    const report = await auditOf(deployment);
    expect(report.violations).to.deep.equal([]);
    expect(report.governance.proposalsExecuted).to.equal(2);
    expect(report.governance.councilThreshold).to.equal("2");
    expect(report.governance.proposalLifetime).to.equal(String(7 * 86_400));
  });

  it("reports a change made as the council without any proposal (the council's address impersonated)", async function () {
    const { setup, deployment } = await loadFixture(fresh);
    await network.provider.send("hardhat_impersonateAccount", [deployment.council]);
    await network.provider.send("hardhat_setBalance", [deployment.council, ethers.toBeHex(10n ** 18n)]);
    const asCouncil = await ethers.getSigner(deployment.council);
    const forged = await setup.ledger.connect(asCouncil).setResidentCap(DOMAIN.volunteer, 1_000_000);
    await network.provider.send("hardhat_stopImpersonatingAccount", [deployment.council]);
    expect(await setup.ledger.domain(DOMAIN.volunteer).then((d) => d.residentCap)).to.equal(1_000_000n);

    const report = await auditOf(deployment);
    expect(found(report)).to.deep.equal([["I8", "CHANGE_WITHOUT_PROPOSAL", forged.hash]]);
    expect(report.violations[0].details.event).to.equal("ResidentCapChanged");
  });

  it("reports a proposal carried out with fewer approvals than the threshold (the threshold rewritten in storage)", async function () {
    const { setup, deployment } = await loadFixture(fresh);
    const { council, ledger, members } = setup;
    expect(await readSlot(deployment.council, COUNCIL_SLOT.threshold)).to.equal(await council.threshold());
    await writeSlot(deployment.council, COUNCIL_SLOT.threshold, 1n);
    await council.connect(members[0]).propose(deployment.ledger, ledger.interface.encodeFunctionData("setResidentCap", [DOMAIN.transport, 9]), ethers.ZeroHash);
    const executed = await council.connect(members[0]).execute(await council.proposalCount());

    const report = await auditOf(deployment);
    expect(found(report)).to.deep.equal([["I8", "EXECUTED_WITHOUT_THRESHOLD", executed.hash]]);
    expect(report.violations[0].details).to.include({ approvals: 1, threshold: "2" });
  });

  it("reports an execution whose call is not the one proposed (the stored call data rewritten)", async function () {
    const { setup, deployment } = await loadFixture(fresh);
    const { council, ledger, members } = setup;
    const proposed = ledger.interface.encodeFunctionData("setResidentCap", [DOMAIN.transport, 50]);
    const swapped = ledger.interface.encodeFunctionData("setResidentCap", [DOMAIN.transport, 5_000_000]);
    await council.connect(members[0]).propose(deployment.ledger, proposed, ethers.ZeroHash);
    const id = await council.proposalCount();
    await council.connect(members[1]).approve(id);
    // 68 bytes of call data: a long `bytes`, whose slot holds 2 × length + 1 and whose words start at keccak256(slot).
    const dataSlot = proposalSlot(id) + 3n;
    expect(await readSlot(deployment.council, dataSlot)).to.equal(BigInt(2 * ethers.dataLength(proposed) + 1));
    const words = BigInt(ethers.keccak256(ethers.toBeHex(dataSlot, 32)));
    const padded = ethers.zeroPadBytes(swapped, 96);
    for (let w = 0; w < 3; w++) await writeSlot(deployment.council, words + BigInt(w), BigInt(ethers.dataSlice(padded, 32 * w, 32 * (w + 1))));
    expect((await council.proposal(id)).data).to.equal(swapped);
    const executed = await council.connect(members[0]).execute(id);

    const report = await auditOf(deployment);
    expect(found(report)).to.deep.equal([["I8", "EXECUTION_DIFFERS_FROM_PROPOSAL", executed.hash]]);
    expect(report.violations[0].details.call).to.equal(`ledger.setResidentCap(${DOMAIN.transport}, 50)`);
    expect(report.violations[0].details.changed).to.equal(`ResidentCapChanged(domainId=${DOMAIN.transport}, residentCap=5000000)`);
  });

  it("reports a proposal carried out after it expired (its stored expiry pushed back)", async function () {
    const { setup, deployment } = await loadFixture(fresh);
    const { council, ledger, members } = setup;
    await council.connect(members[0]).propose(deployment.ledger, ledger.interface.encodeFunctionData("setTransferable", [DOMAIN.transport, true]), ethers.ZeroHash);
    const id = await council.proposalCount();
    await council.connect(members[1]).approve(id);
    const { expiresAt } = await council.proposal(id);
    await time.increaseTo(expiresAt + 10n);
    const slot = proposalSlot(id);
    const raw = await readSlot(deployment.council, slot);
    const expiryShift = 168n; // target (160 bits), executed (8 bits), then expiresAt (uint64)
    expect((raw >> expiryShift) & ((1n << 64n) - 1n)).to.equal(expiresAt);
    await writeSlot(deployment.council, slot, raw + ((1n << 40n) << expiryShift));
    const executed = await council.connect(members[0]).execute(id);

    const report = await auditOf(deployment);
    expect(found(report)).to.deep.equal([["I8", "EXECUTED_AFTER_EXPIRY", executed.hash]]);
    expect(report.violations[0].details.expiresAt).to.equal(expiresAt.toString());
  });

  describe("when the deployment record does not match the chain", function () {
    it("reports a ledger whose code differs from the build (one byte of its metadata changed)", async function () {
      const { deployment } = await loadFixture(fresh);
      const code = await ethers.provider.getCode(deployment.ledger);
      const last = ethers.dataLength(code) - 1;
      const doctored = ethers.concat([ethers.dataSlice(code, 0, last), ethers.toBeHex((Number(ethers.dataSlice(code, last)) + 1) % 256, 1)]);
      await network.provider.send("hardhat_setCode", [deployment.ledger, doctored]);

      const report = await auditOf(deployment);
      expect(report.violations.map((v) => [v.invariant, v.code, v.details.contract, v.details.firstDifference])).to.deep.equal([
        ["I8", "CODE_MISMATCH", "ledger", last],
      ]);
    });

    it("refuses a record whose ledger address holds other code (the council's), with its own error", async function () {
      const { deployment } = await loadFixture(fresh);
      const error = await audit({ transport: hardhatTransport(), deployment: { ...deployment, ledger: deployment.council } }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(CodeMismatchError);
      expect((error as CodeMismatchError).code).to.equal("CODE_MISMATCH");
    });

    it("reports a record whose creation transaction did not create the ledger", async function () {
      const { setup, deployment } = await loadFixture(fresh);
      const other = await setup.asCouncil("setResidentCap", [DOMAIN.volunteer, 7]);
      const report = await audit({ transport: hardhatTransport(), deployment: { ...deployment, transactions: { ...deployment.transactions, ledger: other.hash as `0x${string}` } } });
      const codes = report.violations.map((v) => [v.invariant, v.code]);
      expect(codes[0]).to.deep.equal(["I8", "NOT_THE_CREATION"]);
      // Without its creation, the constructor's own domains, issuers and roles came from no proposal.
      expect(codes.slice(1).every(([i, c]) => i === "I8" && c === "CHANGE_WITHOUT_PROPOSAL")).to.equal(true);
      expect(codes.length).to.be.greaterThan(1);
    });

    it("matches the deployed code only because the immutables are masked", async function () {
      const { deployment } = await loadFixture(fresh);
      const code = (await ethers.provider.getCode(deployment.ledger)) as `0x${string}`;
      expect(compareRuntimeCode(code, pointsLedgerRuntimeCode).matches).to.equal(true);
      const unmasked = compareRuntimeCode(code, { ...pointsLedgerRuntimeCode, immutableReferences: [] });
      expect(unmasked.matches).to.equal(false);
      const first = Math.min(...pointsLedgerRuntimeCode.immutableReferences.map((r) => r.start));
      expect(unmasked.firstDifference).to.be.at.least(first);
    });
  });
});
