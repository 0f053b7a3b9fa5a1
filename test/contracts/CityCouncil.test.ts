import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Interface, Signer } from "ethers";
import { cityLedger } from "../helpers/fixtures";
import type { CityCouncil } from "../../typechain-types";

async function councilCall(
  council: CityCouncil,
  method: "addMember" | "removeMember" | "setThreshold" | "setProposalLifetime",
  arg: unknown,
): Promise<string> {
  return (council.interface as Interface).encodeFunctionData(method, [arg]);
}

const DAY = 86_400;

/** Proposes `data` on the council itself as member 0, has member 1 approve it, and executes it. */
async function runOnCouncil(council: CityCouncil, members: Signer[], data: string) {
  await council.connect(members[0]).propose(await council.getAddress(), data, ethers.ZeroHash);
  const id = await council.proposalCount();
  await council.connect(members[1]).approve(id);
  return council.connect(members[0]).execute(id);
}

describe("CityCouncil", function () {
  it("starts with its members and threshold", async function () {
    const { council, members } = await loadFixture(cityLedger);
    const addresses = await Promise.all(members.map((m) => m.getAddress()));
    expect(await council.members()).to.deep.equal(addresses);
    expect(await council.threshold()).to.equal(2);
    for (const a of addresses) expect(await council.isMember(a)).to.equal(true);
    expect(await council.proposalCount()).to.equal(0);
    expect(await council.proposalLifetime()).to.equal(7 * DAY);
    await expect(council.deploymentTransaction()).to.emit(council, "ProposalLifetimeChanged").withArgs(7 * DAY);
  });

  it("refuses a threshold below two or above the members, and bad member lists", async function () {
    const [a, b] = await ethers.getSigners();
    const factory = await ethers.getContractFactory("CityCouncil");
    await expect(factory.deploy([a.address, b.address], 1)).to.be.revertedWithCustomError(factory, "CityCouncilInvalidThreshold").withArgs(1, 2);
    await expect(factory.deploy([a.address, b.address], 3)).to.be.revertedWithCustomError(factory, "CityCouncilInvalidThreshold").withArgs(3, 2);
    await expect(factory.deploy([a.address, a.address], 2)).to.be.revertedWithCustomError(factory, "CityCouncilAlreadyMember").withArgs(a.address);
    await expect(factory.deploy([a.address, ethers.ZeroAddress], 2))
      .to.be.revertedWithCustomError(factory, "CityCouncilInvalidMember")
      .withArgs(ethers.ZeroAddress);
    const many = Array.from({ length: 33 }, (_, i) => ethers.getAddress(ethers.toBeHex(i + 1, 20)));
    await expect(factory.deploy(many, 2)).to.be.revertedWithCustomError(factory, "CityCouncilInvalidMember").withArgs(many[32]);
  });

  it("carries out a call only after the threshold of approvals", async function () {
    const { council, ledger, members, agencies } = await loadFixture(cityLedger);
    const target = await ledger.getAddress();
    const data = ledger.interface.encodeFunctionData("setResidentCap", [1, 77]);
    const description = ethers.id("cap volunteer points at 77 a day");
    const proposer = await members[0].getAddress();
    const expiresAt = BigInt(await time.latest()) + 1n + BigInt(7 * DAY);
    await time.setNextBlockTimestamp(expiresAt - BigInt(7 * DAY));
    await expect(council.connect(members[0]).propose(target, data, description))
      .to.emit(council, "ProposalCreated")
      .withArgs(1, proposer, target, data, description, expiresAt)
      .and.to.emit(council, "ProposalApproved")
      .withArgs(1, proposer, 1);
    await expect(council.connect(members[0]).execute(1)).to.be.revertedWithCustomError(council, "CityCouncilNotEnoughApprovals").withArgs(1, 1, 2);
    await expect(council.connect(members[0]).approve(1)).to.be.revertedWithCustomError(council, "CityCouncilAlreadyApproved").withArgs(1, proposer);
    await expect(council.connect(members[2]).approve(1)).to.emit(council, "ProposalApproved").withArgs(1, await members[2].getAddress(), 2);
    expect(await council.hasApproved(1, await members[2].getAddress())).to.equal(true);
    await expect(council.connect(members[3]).execute(1)).to.emit(council, "ProposalExecuted").withArgs(1, await members[3].getAddress());
    expect((await ledger.domain(1)).residentCap).to.equal(77);
    const p = await council.proposal(1);
    expect([p.target, p.data, p.descriptionHash, p.proposer, p.approvals, p.executed, p.expiresAt]).to.deep.equal([
      target,
      data,
      description,
      proposer,
      2n,
      true,
      expiresAt,
    ]);
    await expect(council.connect(members[0]).execute(1)).to.be.revertedWithCustomError(council, "CityCouncilAlreadyExecuted").withArgs(1);
    await expect(council.connect(members[1]).approve(1)).to.be.revertedWithCustomError(council, "CityCouncilAlreadyExecuted").withArgs(1);
    // An agency that is not a council member cannot take part.
    await expect(council.connect(agencies[0]).propose(target, data, description))
      .to.be.revertedWithCustomError(council, "CityCouncilNotMember")
      .withArgs(await agencies[0].getAddress());
  });

  it("lets a member withdraw an approval before execution", async function () {
    const { council, ledger, members } = await loadFixture(cityLedger);
    const data = ledger.interface.encodeFunctionData("setResidentCap", [1, 5]);
    await council.connect(members[0]).propose(await ledger.getAddress(), data, ethers.ZeroHash);
    await council.connect(members[1]).approve(1);
    await expect(council.connect(members[1]).revokeApproval(1)).to.emit(council, "ProposalApprovalRevoked").withArgs(1, await members[1].getAddress(), 1);
    await expect(council.connect(members[1]).revokeApproval(1))
      .to.be.revertedWithCustomError(council, "CityCouncilNotApproved")
      .withArgs(1, await members[1].getAddress());
    await expect(council.connect(members[0]).execute(1)).to.be.revertedWithCustomError(council, "CityCouncilNotEnoughApprovals").withArgs(1, 1, 2);
  });

  it("refuses unknown proposals and targets without code", async function () {
    const { council, members } = await loadFixture(cityLedger);
    await expect(council.connect(members[0]).approve(1)).to.be.revertedWithCustomError(council, "CityCouncilUnknownProposal").withArgs(1);
    await expect(council.proposal(0)).to.be.revertedWithCustomError(council, "CityCouncilUnknownProposal").withArgs(0);
    const eoa = await members[0].getAddress();
    await expect(council.connect(members[0]).propose(eoa, "0x", ethers.ZeroHash)).to.be.revertedWithCustomError(council, "CityCouncilInvalidTarget").withArgs(eoa);
  });

  it("changes its membership and threshold only through its own proposals", async function () {
    const { council, members, stranger } = await loadFixture(cityLedger);
    const self = await council.getAddress();
    const newcomer = await stranger.getAddress();
    await expect(council.connect(members[0]).addMember(newcomer)).to.be.revertedWithCustomError(council, "CityCouncilOnlySelf").withArgs(await members[0].getAddress());
    const run = async (data: string) => {
      await council.connect(members[0]).propose(self, data, ethers.ZeroHash);
      const id = await council.proposalCount();
      await council.connect(members[1]).approve(id);
      return council.connect(members[0]).execute(id);
    };
    await expect(run(await councilCall(council, "addMember", newcomer))).to.emit(council, "MemberAdded").withArgs(newcomer);
    expect(await council.isMember(newcomer)).to.equal(true);
    await expect(run(await councilCall(council, "setThreshold", 5))).to.emit(council, "ThresholdChanged").withArgs(5);
    // Removing a member would leave fewer members (4) than the threshold (5).
    const removeData = await councilCall(council, "removeMember", newcomer);
    await council.connect(members[0]).propose(self, removeData, ethers.ZeroHash);
    const id = await council.proposalCount();
    for (const m of [members[1], members[2], members[3], stranger]) await council.connect(m).approve(id);
    const inner = council.interface.encodeErrorResult("CityCouncilInvalidThreshold", [5, 4]);
    await expect(council.connect(members[0]).execute(id)).to.be.revertedWithCustomError(council, "CityCouncilCallFailed").withArgs(id, inner);
  });

  it("stops counting a removed member's approvals", async function () {
    const { council, ledger, members } = await loadFixture(cityLedger);
    const self = await council.getAddress();
    const gone = await members[3].getAddress();
    // Proposal 1 (a ledger change) approved by members 0 and 3.
    await council.connect(members[0]).propose(await ledger.getAddress(), ledger.interface.encodeFunctionData("setResidentCap", [1, 9]), ethers.ZeroHash);
    await council.connect(members[3]).approve(1);
    // Proposal 2 removes member 3.
    await council.connect(members[0]).propose(self, await councilCall(council, "removeMember", gone), ethers.ZeroHash);
    await council.connect(members[1]).approve(2);
    await expect(council.connect(members[0]).execute(2)).to.emit(council, "MemberRemoved").withArgs(gone);
    expect(await council.members()).to.not.include(gone);
    expect((await council.proposal(1)).approvals).to.equal(1);
    await expect(council.connect(members[0]).execute(1)).to.be.revertedWithCustomError(council, "CityCouncilNotEnoughApprovals").withArgs(1, 1, 2);
    await expect(council.connect(members[3]).approve(1)).to.be.revertedWithCustomError(council, "CityCouncilNotMember").withArgs(gone);
    await expect(
      council.connect(members[0]).propose(self, await councilCall(council, "removeMember", gone), ethers.ZeroHash).then(async () => {
        const id = await council.proposalCount();
        await council.connect(members[1]).approve(id);
        return council.connect(members[0]).execute(id);
      }),
    )
      .to.be.revertedWithCustomError(council, "CityCouncilCallFailed")
      .withArgs(3, council.interface.encodeErrorResult("CityCouncilNotMember", [gone]));
  });

  describe("a member removed and admitted again", function () {
    /** Proposal 1 (a ledger change) approved by members 0 and 3; then member 3 removed (proposal 2). */
    async function approvedThenRemoved() {
      const setup = await cityLedger();
      const { council, ledger, members } = setup;
      await council.connect(members[0]).propose(await ledger.getAddress(), ledger.interface.encodeFunctionData("setResidentCap", [1, 9]), ethers.ZeroHash);
      await council.connect(members[3]).approve(1);
      await runOnCouncil(council, members, await councilCall(council, "removeMember", await members[3].getAddress()));
      return setup;
    }

    it("finds its old approvals gone: they do not count again after re-admission", async function () {
      const { council, members } = await loadFixture(approvedThenRemoved);
      const returning = await members[3].getAddress();
      await expect(runOnCouncil(council, members, await councilCall(council, "addMember", returning))).to.emit(council, "MemberAdded").withArgs(returning);
      expect(await council.isMember(returning)).to.equal(true);
      expect(await council.hasApproved(1, returning)).to.equal(false);
      expect((await council.proposal(1)).approvals).to.equal(1);
      await expect(council.connect(members[0]).execute(1)).to.be.revertedWithCustomError(council, "CityCouncilNotEnoughApprovals").withArgs(1, 1, 2);
      await expect(council.connect(members[3]).revokeApproval(1)).to.be.revertedWithCustomError(council, "CityCouncilNotApproved").withArgs(1, returning);
    });

    it("may approve afresh, and that approval counts", async function () {
      const { council, ledger, members } = await loadFixture(approvedThenRemoved);
      const returning = await members[3].getAddress();
      await runOnCouncil(council, members, await councilCall(council, "addMember", returning));
      await expect(council.connect(members[3]).approve(1)).to.emit(council, "ProposalApproved").withArgs(1, returning, 2);
      await expect(council.connect(members[0]).execute(1)).to.emit(council, "ProposalExecuted").withArgs(1, await members[0].getAddress());
      expect((await ledger.domain(1)).residentCap).to.equal(9);
    });
  });

  describe("proposal expiry", function () {
    async function proposed() {
      const setup = await cityLedger();
      const { council, ledger, members } = setup;
      await council.connect(members[0]).propose(await ledger.getAddress(), ledger.interface.encodeFunctionData("setResidentCap", [1, 5]), ethers.ZeroHash);
      await council.connect(members[1]).approve(1);
      return setup;
    }

    it("can still be carried out at its last second", async function () {
      const { council, members } = await loadFixture(proposed);
      await time.setNextBlockTimestamp((await council.proposal(1)).expiresAt);
      await expect(council.connect(members[0]).execute(1)).to.emit(council, "ProposalExecuted");
    });

    it("refuses approving, withdrawing and executing once expired, naming the expiry", async function () {
      const { council, members } = await loadFixture(proposed);
      const { expiresAt } = await council.proposal(1);
      await time.increaseTo(expiresAt + 1n);
      await expect(council.connect(members[0]).execute(1)).to.be.revertedWithCustomError(council, "CityCouncilProposalExpired").withArgs(1, expiresAt);
      await expect(council.connect(members[2]).approve(1)).to.be.revertedWithCustomError(council, "CityCouncilProposalExpired").withArgs(1, expiresAt);
      await expect(council.connect(members[1]).revokeApproval(1)).to.be.revertedWithCustomError(council, "CityCouncilProposalExpired").withArgs(1, expiresAt);
      const p = await council.proposal(1);
      expect([p.executed, p.approvals]).to.deep.equal([false, 2n]);
    });

    it("takes the lifetime the council sets, for proposals made from then on", async function () {
      const { council, ledger, members } = await loadFixture(proposed);
      await expect(runOnCouncil(council, members, await councilCall(council, "setProposalLifetime", 3_600)))
        .to.emit(council, "ProposalLifetimeChanged")
        .withArgs(3_600);
      expect(await council.proposalLifetime()).to.equal(3_600);
      await council.connect(members[0]).propose(await ledger.getAddress(), ledger.interface.encodeFunctionData("setResidentCap", [1, 6]), ethers.ZeroHash);
      const id = await council.proposalCount();
      expect((await council.proposal(id)).expiresAt).to.equal(BigInt(await time.latest()) + 3_600n);
      // Proposal 1 keeps the expiry it was made with.
      expect((await council.proposal(1)).expiresAt - (await council.proposal(id)).expiresAt).to.be.greaterThan(6n * BigInt(DAY));
    });

    it("refuses a lifetime outside one hour to 90 days, and one set other than by a proposal", async function () {
      const { council, members } = await loadFixture(cityLedger);
      for (const lifetime of [3_599, 90 * DAY + 1]) {
        const inner = council.interface.encodeErrorResult("CityCouncilInvalidLifetime", [lifetime, 3_600, 90 * DAY]);
        const id = (await council.proposalCount()) + 1n;
        await expect(runOnCouncil(council, members, await councilCall(council, "setProposalLifetime", lifetime)))
          .to.be.revertedWithCustomError(council, "CityCouncilCallFailed")
          .withArgs(id, inner);
      }
      await expect(council.connect(members[0]).setProposalLifetime(3_600))
        .to.be.revertedWithCustomError(council, "CityCouncilOnlySelf")
        .withArgs(await members[0].getAddress());
      expect(await council.proposalLifetime()).to.equal(7 * DAY);
    });
  });
});
