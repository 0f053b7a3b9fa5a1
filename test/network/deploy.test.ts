import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, FetchRequest, getCreateAddress, JsonRpcProvider, Network, Wallet } from "ethers";
import { cityCouncilAbi, passkeyAccountsAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import { parseDeployment } from "../../sdk/src/deployment";
import { runCityDeployment } from "../../scripts/lib/deploy";
import { readPlan } from "../../scripts/network/deploy/plan";
import { progressPath, readProgress } from "../../scripts/network/deploy/journal";
import { providerFor, rpcCall } from "../../scripts/network/rpc";
import { CITY_CHAIN_TIMED, startAnvil, type LocalChain } from "../../scripts/lib/anvil";
import { ROOT, runCli, startCli } from "./helpers/cli";

const LOCAL_PLAN = join(ROOT, "config", "deploy", "local.json");

/** A provider whose n-th raw transaction broadcast fails, as if the process died right there. */
class CrashingProvider extends JsonRpcProvider {
  private broadcasts = 0;
  constructor(
    url: string,
    private readonly crashOn: number,
  ) {
    super(new FetchRequest(url), Network.from(31337), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  }
  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    if (method === "eth_sendRawTransaction" && ++this.broadcasts === this.crashOn) throw new Error("simulated crash");
    return super.send(method, params);
  }
}

function newKeyFile(dir: string): { wallet: Wallet; file: string } {
  const wallet = Wallet.createRandom();
  const file = join(dir, "deployer.key");
  writeFileSync(file, wallet.privateKey + "\n", { mode: 0o600 });
  return { wallet: new Wallet(wallet.privateKey), file };
}

async function waitFor<T>(read: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("deployment (npm run deploy) against anvil child processes", function () {
  let anvil: LocalChain;
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "city-deploy-"));
  });
  afterEach(async function () {
    await anvil?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("when the chain is set up like the target", function () {
    beforeEach(async function () {
      anvil = await startAnvil({ accounts: 1, args: CITY_CHAIN_TIMED });
    });

    it("deploys from an unfunded deployer at zero price, hands roles only to the council and pauser, and a second run sends nothing", async function () {
      const { wallet, file } = newKeyFile(dir);
      const args = ["--network", "local", "--rpc", anvil.url, "--deployer-key-file", file, "--deployments", dir];
      const first = await runCli("scripts/deploy.ts", args);
      expect(first.code, first.stderr + first.stdout).to.equal(0);
      expect(first.stdout).to.match(/deployed: 4 transaction\(s\) sent/);
      expect(first.stdout).not.to.match(/FAIL/);

      const record = parseDeployment(JSON.parse(readFileSync(join(dir, "31337.json"), "utf8")));
      expect(record.council).to.equal(getCreateAddress({ from: wallet.address, nonce: 0 }));
      expect(record.passkeyAccounts).to.equal(getCreateAddress({ from: wallet.address, nonce: 1 }));
      expect(record.ledger).to.equal(getCreateAddress({ from: wallet.address, nonce: 2 }));
      expect(record.communityStations).to.equal(getCreateAddress({ from: wallet.address, nonce: 3 }));
      expect(record.transactions.communityStations).to.match(/^0x[0-9a-f]{64}$/);
      expect(existsSync(progressPath(join(dir, "31337.json")))).to.equal(false);

      const provider = providerFor(anvil.url, 31337);
      const plan = readPlan(LOCAL_PLAN);
      const ledger = new Contract(record.ledger, pointsLedgerAbi, provider);
      expect(await ledger.hasRole(await ledger.COUNCIL_ROLE(), record.council)).to.equal(true);
      expect(await ledger.hasRole(await ledger.PAUSER_ROLE(), plan.pauser)).to.equal(true);
      expect(await ledger.hasRole(await ledger.COUNCIL_ROLE(), wallet.address)).to.equal(false);
      expect(await ledger.hasRole(await ledger.PAUSER_ROLE(), wallet.address)).to.equal(false);
      expect(Number(await ledger.GENESIS_TIME())).to.equal(record.genesisTime);
      const council = new Contract(record.council, cityCouncilAbi, provider);
      expect(await council.members()).to.deep.equal(plan.councilMembers);
      expect(record.domains.map((d) => d.agency)).to.deep.equal(plan.domains.map((d) => d.agency));
      expect((await ledger.domain(2)).agency).to.equal(plan.domains[1].agency);
      expect(await provider.getBalance(wallet.address)).to.equal(0n);
      const passkeys = new Contract(record.passkeyAccounts, passkeyAccountsAbi, provider);
      expect(await passkeys.COUNCIL()).to.equal(record.council);
      expect(await passkeys.RECOVERY_DELAY()).to.equal(BigInt(record.recoveryDelaySeconds));
      expect(record.recoveryDelaySeconds).to.equal(7 * 86_400);

      const second = await runCli("scripts/deploy.ts", args);
      expect(second.code, second.stderr).to.equal(0);
      expect(second.stdout).to.match(/already deployed .*nothing sent/);
      expect(await provider.getTransactionCount(wallet.address)).to.equal(4);
    });

    it("refuses to deploy to a chain whose id is not the network's", async function () {
      const { file } = newKeyFile(dir);
      const result = await runCli("scripts/deploy.ts", ["--network", "besu", "--rpc", anvil.url, "--deployer-key-file", file, "--deployments", dir]);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/WRONG_CHAIN.*is chain 31337, but network "besu" is chain 45817/);
      expect(existsSync(join(dir, "31337.json"))).to.equal(false);
    });

    it("after a crash between the passkey registry and the ledger, the next run creates only the ledger and the stations", async function () {
      const { wallet } = newKeyFile(dir);
      const plan = readPlan(LOCAL_PLAN);
      const recordPath = join(dir, "31337.json");
      const crashing = wallet.connect(new CrashingProvider(anvil.url, 3));
      const interrupted = runCityDeployment(crashing, plan, recordPath, { fees: "free", confirmTimeoutMs: 20_000 });
      await expect(interrupted).to.be.rejectedWith(/simulated crash/);
      const progress = readProgress(progressPath(recordPath))!;
      expect(progress.council?.blockNumber).to.be.a("number");
      expect(progress.passkeyAccounts?.blockNumber).to.be.a("number");
      expect(existsSync(recordPath)).to.equal(false);

      const provider = providerFor(anvil.url, 31337);
      const report = await runCityDeployment(wallet.connect(provider), plan, recordPath, { fees: "free", confirmTimeoutMs: 20_000 });
      expect(report.resumed).to.equal(true);
      expect(report.sent).to.have.length(2);
      expect(report.record.council).to.equal(progress.council!.address);
      expect(report.record.transactions.council).to.equal(progress.council!.hash);
      expect(report.record.passkeyAccounts).to.equal(progress.passkeyAccounts!.address);
      expect(await provider.getTransactionCount(wallet.address)).to.equal(4);
      expect(await provider.getCode(getCreateAddress({ from: wallet.address, nonce: 4 }))).to.equal("0x");
      expect(await new Contract(report.record.ledger, pointsLedgerAbi, provider).PASSKEY_ACCOUNTS_REGISTRY()).to.equal(progress.passkeyAccounts!.address);
      expect(await new Contract(report.record.ledger, pointsLedgerAbi, provider).hasRole(await new Contract(report.record.ledger, pointsLedgerAbi, provider).COUNCIL_ROLE(), progress.council!.address)).to.equal(true);
    });

    it("refuses to resume with a different plan, and says how to start over", async function () {
      const { wallet } = newKeyFile(dir);
      const plan = readPlan(LOCAL_PLAN);
      const recordPath = join(dir, "31337.json");
      await expect(runCityDeployment(wallet.connect(new CrashingProvider(anvil.url, 2)), plan, recordPath, { fees: "free" })).to.be.rejectedWith(/simulated crash/);
      const provider = providerFor(anvil.url, 31337);
      const changed = { ...plan, councilThreshold: 3 };
      await expect(runCityDeployment(wallet.connect(provider), changed, recordPath, { fees: "free" })).to.be.rejectedWith(/a different plan: .*move the file away/);
      expect(await provider.getTransactionCount(wallet.address)).to.equal(1);
    });

    it("refuses to resume when another transaction took the nonce reserved for the council", async function () {
      const { wallet } = newKeyFile(dir);
      const plan = readPlan(LOCAL_PLAN);
      const recordPath = join(dir, "31337.json");
      await expect(runCityDeployment(wallet.connect(new CrashingProvider(anvil.url, 1)), plan, recordPath, { fees: "free" })).to.be.rejectedWith(/simulated crash/);
      const provider = providerFor(anvil.url, 31337);
      const signer = wallet.connect(provider);
      await (await signer.sendTransaction({ to: signer.address, value: 0n, gasPrice: 0n, type: 0 })).wait();
      const error = (await runCityDeployment(signer, plan, recordPath, { fees: "free" }).then(
        () => ({ code: "none", message: "resumed" }),
        (e: unknown) => e as { code: string; message: string },
      )) as { code: string; message: string };
      expect(error).to.include({ code: "NONCE_TAKEN" });
      expect(error.message).to.match(/nonce 0, reserved for the council, was used by another transaction/);
      expect(await provider.getTransactionCount(wallet.address)).to.equal(1);
    });
  });

  describe("when the deploy process is killed with the council transaction still pending", function () {
    beforeEach(async function () {
      anvil = await startAnvil({ accounts: 1, args: ["--hardfork", "cancun", "--base-fee", "0", "--gas-price", "0", "--no-mining"] });
    });

    it("the resumed run sends the same signed council transaction again and never a second council", async function () {
      const { wallet, file } = newKeyFile(dir);
      const args = ["--network", "local", "--rpc", anvil.url, "--deployer-key-file", file, "--deployments", dir];
      const recordPath = join(dir, "31337.json");
      const child = startCli("scripts/deploy.ts", args);
      const pending = await waitFor(() => {
        const p = existsSync(progressPath(recordPath)) ? readProgress(progressPath(recordPath)) : undefined;
        return p?.council ? p.council : undefined;
      }, 30_000);
      // Let the broadcast happen (it follows the progress write), then kill the process outright.
      await new Promise((r) => setTimeout(r, 500));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));

      // The node lost the transaction too (a restart, an evicted pool): only the progress file remembers it.
      await rpcCall(anvil.url, "anvil_dropAllTransactions");
      await rpcCall(anvil.url, "evm_setIntervalMining", [1]);

      const resumed = await runCli("scripts/deploy.ts", args);
      expect(resumed.code, resumed.stderr + resumed.stdout).to.equal(0);
      expect(resumed.stdout).to.match(/resuming the interrupted deployment/);
      expect(resumed.stdout).to.match(/council: transaction with nonce 0 not mined yet; sending the same transaction again/);

      const record = parseDeployment(JSON.parse(readFileSync(recordPath, "utf8")));
      expect(record.council).to.equal(pending.address);
      expect(record.transactions.council).to.equal(pending.hash);
      const provider = providerFor(anvil.url, 31337);
      expect(await provider.getTransactionCount(wallet.address)).to.equal(4);
      expect(await provider.getCode(getCreateAddress({ from: wallet.address, nonce: 4 }))).to.equal("0x");
    });
  });

  describe("when the chain is not a local development chain (chain id 45817, the Besu profile's)", function () {
    /** Account 3 of the development mnemonic (anvil prints its key to anyone who starts it). */
    const DEV_KEY_3 = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";
    const DEV_ADDRESS_3 = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";
    const DEV_ADDRESS_19 = "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199";

    beforeEach(async function () {
      anvil = await startAnvil({ accounts: 1, args: [...CITY_CHAIN_TIMED, "--chain-id", "45817"] });
    });

    /** The local plan with its well-known addresses replaced by fresh ones, but for `keep`. */
    function planFile(keep: Record<string, string> = {}): string {
      const plan = JSON.parse(readFileSync(LOCAL_PLAN, "utf8"));
      const fresh = () => Wallet.createRandom().address;
      plan.councilMembers = plan.councilMembers.map(fresh);
      plan.pauser = keep.pauser ?? fresh();
      for (const d of plan.domains) {
        d.agency = fresh();
        d.issuers = d.issuers.map((x: { quota: string }, i: number) => ({ ...x, address: (i === 0 && keep[d.name]) || d.agency }));
      }
      const file = join(dir, "plan.json");
      writeFileSync(file, JSON.stringify(plan));
      return file;
    }

    const deploy = (plan: string, keyFile: string) =>
      runCli("scripts/deploy.ts", ["--network", "besu", "--rpc", anvil.url, "--plan", plan, "--deployer-key-file", keyFile, "--deployments", dir]);

    it("refuses a development key as the deployer, sends nothing and writes no record", async function () {
      const file = join(dir, "deployer.key");
      writeFileSync(file, DEV_KEY_3 + "\n", { mode: 0o600 });
      const result = await deploy(planFile(), file);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(new RegExp(`DEVELOPMENT_KEY.*refusing to deploy on chain 45817: the deployer ${DEV_ADDRESS_3} is a well-known development account`));
      expect(await providerFor(anvil.url, 45817).getTransactionCount(DEV_ADDRESS_3)).to.equal(0);
      expect(existsSync(join(dir, "45817.json"))).to.equal(false);
      expect(existsSync(progressPath(join(dir, "45817.json")))).to.equal(false);
    });

    it("refuses a development address anywhere in the plan (the pauser, the 20th account as an issuer), naming each", async function () {
      const { wallet, file } = newKeyFile(dir);
      const result = await deploy(planFile({ pauser: DEV_ADDRESS_3, culture: DEV_ADDRESS_19 }), file);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.include(`the pauser ${DEV_ADDRESS_3}, the culture issuer ${DEV_ADDRESS_19} are well-known development accounts`);
      expect(await providerFor(anvil.url, 45817).getTransactionCount(wallet.address)).to.equal(0);
    });

    it("deploys a plan of the operator's own keys", async function () {
      const { file } = newKeyFile(dir);
      const result = await deploy(planFile(), file);
      expect(result.code, result.stderr + result.stdout).to.equal(0);
      expect(parseDeployment(JSON.parse(readFileSync(join(dir, "45817.json"), "utf8"))).chainId).to.equal(45817);
    });
  });
});
