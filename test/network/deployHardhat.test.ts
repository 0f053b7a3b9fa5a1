import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { deployCityLedger, loadDeployment, runCityDeployment, type DeploymentPlan } from "../../scripts/lib/deploy";

describe("deployCityLedger on the in-process Hardhat network (signers that cannot sign offline)", function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "city-deploy-hh-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("deploys two agencies each with its own signer, and a second call sends nothing", async function () {
    const [deployer, agencyA, agencyB, memberA, memberB, pauser] = await ethers.getSigners();
    const plan: DeploymentPlan = {
      councilMembers: [memberA.address, memberB.address],
      councilThreshold: 2,
      pauser: pauser.address,
      periodSeconds: 3600,
      domains: [
        { name: "volunteer", agency: agencyA.address, pointValue: 10, residentCap: 0n, transferable: false, issuers: [{ address: agencyA.address, quota: 1000n }] },
        { name: "transport", agency: agencyB.address, pointValue: 20, residentCap: 0n, transferable: false, issuers: [{ address: agencyB.address, quota: 2000n }] },
      ],
    };
    const path = join(dir, "31337.json");
    const nonceBefore = await ethers.provider.getTransactionCount(deployer.address);
    const record = await deployCityLedger(deployer, plan, path);
    expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonceBefore + 4);
    const stations = await ethers.getContractAt("CommunityStations", record.communityStations!);
    expect(await stations.registrar()).to.equal(deployer.address);
    expect(await stations.LEDGER()).to.equal(record.ledger);
    expect(record.domains.map((d) => [d.agency, d.issuers])).to.deep.equal([
      [agencyA.address, [agencyA.address]],
      [agencyB.address, [agencyB.address]],
    ]);
    const ledger = await ethers.getContractAt("PointsLedger", record.ledger);
    expect((await ledger.issuerState(2, agencyB.address)).quota).to.equal(2000n);
    expect(await ledger.hasRole(await ledger.COUNCIL_ROLE(), deployer.address)).to.equal(false);
    expect(await loadDeployment(path, ethers.provider)).to.deep.equal(record);

    const again = await runCityDeployment(deployer, plan, path);
    expect(again).to.deep.include({ alreadyDeployed: true, sent: [] });
    expect(await ethers.provider.getTransactionCount(deployer.address)).to.equal(nonceBefore + 4);
  });
});
