import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { cityLedger } from "../helpers/fixtures";
import { DAY, DEFAULT_QUOTA, DOMAIN_NAMES } from "../helpers/deploy";

describe("PointsLedger deployment", function () {
  it("creates the four city domains with their agencies and policies", async function () {
    const { ledger, agencies } = await loadFixture(cityLedger);
    expect(await ledger.domainCount()).to.equal(4);
    for (const [i, name] of DOMAIN_NAMES.entries()) {
      const d = await ledger.domain(i + 1);
      expect(d.name).to.equal(name);
      expect(d.agency).to.equal(await agencies[i].getAddress());
      expect(d.pointValue).to.equal(10 * (i + 1));
      expect(d.residentCap).to.equal(0);
      expect(d.transferable).to.equal(name === "culture");
      expect(d.paused).to.equal(false);
      expect(d.supply).to.equal(0);
    }
  });

  it("admits one issuer per domain with its quota", async function () {
    const { ledger, agencies } = await loadFixture(cityLedger);
    for (const [i, agency] of agencies.entries()) {
      const state = await ledger.issuerState(i + 1, await agency.getAddress());
      expect(state.admitted).to.equal(true);
      expect(state.suspended).to.equal(false);
      expect(state.quota).to.equal(DEFAULT_QUOTA);
      expect(state.usedThisPeriod).to.equal(0);
      // An agency is issuer of its own domain only.
      const other = ((i + 1) % 4) + 1;
      expect((await ledger.issuerState(other, await agency.getAddress())).admitted).to.equal(false);
    }
  });

  it("gives the council and pauser roles and nothing to the deployer", async function () {
    const { ledger, council, pauser } = await loadFixture(cityLedger);
    const [deployer] = await ethers.getSigners();
    const COUNCIL = await ledger.COUNCIL_ROLE();
    const PAUSER = await ledger.PAUSER_ROLE();
    expect(await ledger.hasRole(COUNCIL, await council.getAddress())).to.equal(true);
    expect(await ledger.hasRole(PAUSER, await pauser.getAddress())).to.equal(true);
    expect(await ledger.hasRole(COUNCIL, deployer.address)).to.equal(false);
    expect(await ledger.hasRole(PAUSER, deployer.address)).to.equal(false);
  });

  it("starts the period clock at deployment and emits it", async function () {
    const { ledger } = await loadFixture(cityLedger);
    const receipt = await ledger.deploymentTransaction()!.wait();
    const block = await ethers.provider.getBlock(receipt!.blockNumber);
    expect(await ledger.GENESIS_TIME()).to.equal(block!.timestamp);
    expect(await ledger.PERIOD_SECONDS()).to.equal(DAY);
    expect(await ledger.currentPeriod()).to.equal(0);
    const configured = receipt!.logs.map((l) => ledger.interface.parseLog(l)).find((e) => e?.name === "LedgerConfigured");
    expect(configured!.args.genesisTime).to.equal(block!.timestamp);
    expect(configured!.args.periodSeconds).to.equal(DAY);
  });

  describe("when the constructor is given bad arguments", function () {
    async function deployWith(overrides: { council?: string; pauser?: string; passkeys?: string; period?: bigint; domains?: unknown[]; issuers?: unknown[] }) {
      const [a, b, c] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("PointsLedger");
      return {
        factory,
        tx: factory.deploy(
          overrides.council ?? a.address,
          overrides.pauser ?? b.address,
          overrides.passkeys ?? c.address,
          overrides.period ?? 3600n,
          (overrides.domains ?? []) as never,
          (overrides.issuers ?? []) as never,
        ),
      };
    }

    it("rejects a zero council, a zero pauser, a zero passkey registry and an impossible period length", async function () {
      let d = await deployWith({ council: ethers.ZeroAddress });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidAddress").withArgs(ethers.ZeroAddress);
      d = await deployWith({ pauser: ethers.ZeroAddress });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidAddress").withArgs(ethers.ZeroAddress);
      d = await deployWith({ passkeys: ethers.ZeroAddress });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidAddress").withArgs(ethers.ZeroAddress);
      d = await deployWith({ period: 0n });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidPeriodLength").withArgs(0);
      d = await deployWith({ period: 2n ** 32n });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidPeriodLength").withArgs(2n ** 32n);
    });

    it("rejects a domain without a name, agency or point value", async function () {
      const [a] = await ethers.getSigners();
      const good = { name: "x", agency: a.address, pointValue: 1, residentCap: 0, transferable: false };
      let d = await deployWith({ domains: [{ ...good, name: "" }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidName").withArgs("");
      const long = "n".repeat(33);
      d = await deployWith({ domains: [{ ...good, name: long }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidName").withArgs(long);
      d = await deployWith({ domains: [{ ...good, agency: ethers.ZeroAddress }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidAddress").withArgs(ethers.ZeroAddress);
      d = await deployWith({ domains: [{ ...good, pointValue: 0 }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidPointValue").withArgs(0);
    });

    it("rejects an issuer of a missing domain, a zero issuer and a zero quota", async function () {
      const [a] = await ethers.getSigners();
      const domains = [{ name: "x", agency: a.address, pointValue: 1, residentCap: 0, transferable: false }];
      let d = await deployWith({ domains, issuers: [{ domainId: 2, issuer: a.address, quota: 1 }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerUnknownDomain").withArgs(2);
      d = await deployWith({ domains, issuers: [{ domainId: 1, issuer: ethers.ZeroAddress, quota: 1 }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidAddress").withArgs(ethers.ZeroAddress);
      d = await deployWith({ domains, issuers: [{ domainId: 1, issuer: a.address, quota: 0 }] });
      await expect(d.tx).to.be.revertedWithCustomError(d.factory, "PointsLedgerInvalidQuota").withArgs(0);
    });
  });

  it("holds the passkey registry it was deployed with", async function () {
    const { ledger, passkeys } = await loadFixture(cityLedger);
    expect(await ledger.PASSKEY_ACCOUNTS_REGISTRY()).to.equal(await passkeys.getAddress());
  });

  describe("its code", function () {
    const artifact = (name: string) => JSON.parse(readFileSync(join(__dirname, "..", "..", "artifacts", "contracts", `${name}.sol`, `${name}.json`), "utf8"));

    it("fits EIP-170's 24,576-byte limit on runtime code, with the passkey entrypoints", function () {
      const runtimeBytes = (artifact("PointsLedger").deployedBytecode.length - 2) / 2;
      expect(runtimeBytes).to.be.at.most(24_576);
      expect(artifact("PointsLedger").abi.some((f: { name?: string }) => f.name === "exchangeByPasskey")).to.equal(true);
    });

    // The dispatcher compares selectors in ascending order, so an entrypoint whose selector is
    // below a function's adds a comparison (22 gas) to every call of it. The passkey entrypoints
    // sit above the hot paths, so they add no comparison before them (the dispatcher itself still
    // changed shape: see the README's gas section for what the ECDSA paths cost now).
    it("puts every passkey entrypoint's selector above the issuance and ECDSA intent paths", function () {
      const ledger = new ethers.Interface(artifact("PointsLedger").abi);
      const selector = (name: string) => BigInt(ledger.getFunction(name)!.selector);
      const hot = ["issue", "issueBatch", "exchange", "redeem", "transfer"].map(selector);
      for (const added of ["exchangeByPasskey", "redeemByPasskey", "transferByPasskey", "PASSKEY_ACCOUNTS_REGISTRY"]) {
        for (const h of hot) expect(selector(added) > h, `${added} above ${h.toString(16)}`).to.equal(true);
      }
    });
  });
});
