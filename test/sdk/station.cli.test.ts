/**
 * The stations registrar's tool end to end against an anvil node: the registrar (its own 0600 key
 * file, unfunded, gas price 0) adds a station, appoints a passkey account as staff, changes the
 * limit and closes it; the contract changes exactly then; refusals and bad input get their
 * message and exit status, with nothing sent.
 */
import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Contract, Wallet } from "ethers";
import { runStationCli } from "../../scripts/station";
import { COUNCIL_EXIT } from "../../scripts/council/errors";
import { deployCityLedger } from "../../scripts/lib/deploy";
import { CITY_CHAIN, startUnlockedAnvil, type UnlockedChain } from "../../scripts/lib/anvil";
import { DEMO_AGENCIES } from "../../scripts/lib/demoAgencies";
import { SoftAuthenticator } from "../../scripts/lib/softAuthenticator";
import { communityStationsAbi, passkeyAccountsAbi } from "../../sdk/src/abi";
import { createPasskey, fromBase64Url } from "../../sdk/src/resident/passkeys";
import type { Deployment } from "../../sdk/src/deployment";

async function station(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runStationCli(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("station command against an anvil node", function () {
  let anvil: UnlockedChain;
  let dir: string;
  let deploymentFile: string;
  let deployment: Deployment;
  let stations: Contract;
  let staffAccount: string;
  const registrar = Wallet.createRandom();
  const stranger = Wallet.createRandom();
  const keyOf: Record<string, string> = {};
  const common = () => ["--rpc", anvil.url, "--deployment", deploymentFile];
  const as = (who: { address: string }) => [...common(), "--key-file", keyOf[who.address], "--gas-price", "0"];

  before(async function () {
    anvil = await startUnlockedAnvil({ accounts: 6, args: CITY_CHAIN });
    dir = mkdtempSync(join(tmpdir(), "station-cli-"));
    deploymentFile = join(dir, "deployment.json");
    for (const w of [registrar, stranger]) {
      keyOf[w.address] = join(dir, `${w.address}.key`);
      writeFileSync(keyOf[w.address], w.privateKey + "\n", { mode: 0o600 });
    }
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => anvil.signer(i).then((s) => s.getAddress())));
    deployment = await deployCityLedger(
      await anvil.signer(0),
      {
        councilMembers: [accounts[1], accounts[2]],
        councilThreshold: 2,
        pauser: accounts[5],
        stationRegistrar: registrar.address,
        periodSeconds: 86_400,
        domains: DEMO_AGENCIES.map((name, i) => ({ name, agency: accounts[1 + i], pointValue: 10 * (i + 1), residentCap: 0n, transferable: false, issuers: [] })),
      },
      deploymentFile,
    );
    stations = new Contract(deployment.communityStations!, communityStationsAbi as never, anvil.provider);
    const staff = await createPasskey({ rp: { id: "points.city.test", name: "City points" }, credentials: new SoftAuthenticator({ origin: "https://points.city.test" }) });
    const passkeys = new Contract(deployment.passkeyAccounts, passkeyAccountsAbi as never, await anvil.signer(0));
    await (await passkeys.getFunction("register")(staff.publicKey.x, staff.publicKey.y, fromBase64Url(staff.credentialId))).wait();
    staffAccount = staff.account;
  });

  after(async function () {
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("adds a station, appoints staff, changes the limit and closes it, each from the registrar's key", async function () {
    expect((await station(["list", ...common()])).out).to.equal(`registrar ${registrar.address}; 0 stations\n`);
    const added = await station(["add", "市民驿站 · 东门", "--limit", "20", ...as(registrar)]);
    expect(added.code, added.err).to.equal(COUNCIL_EXIT.ok);
    expect(added.out).to.match(/^added station "市民驿站 · 东门" with a limit of 20 a day \(transaction 0x[0-9a-f]{64}\)\n$/);
    expect((await stations.station(1)).name).to.equal("市民驿站 · 东门");

    expect((await station(["staff", "1", staffAccount, ...as(registrar)])).code).to.equal(COUNCIL_EXIT.ok);
    expect(await stations.isStaff(1, staffAccount)).to.equal(true);
    expect((await station(["limit", "1", "30", ...as(registrar)])).code).to.equal(COUNCIL_EXIT.ok);
    expect((await station(["close", "1", ...as(registrar)])).code).to.equal(COUNCIL_EXIT.ok);
    const listed = await station(["list", ...common()]);
    expect(listed.out).to.equal(`registrar ${registrar.address}; 1 station\n  1 市民驿站 · 东门: limit 30 a day, 0 today, closed\n`);
    expect((await station(["staff", "1", staffAccount, "--remove", ...as(registrar)])).out).to.include(`is no longer staff of station 1`);
    expect(await stations.isStaff(1, staffAccount)).to.equal(false);
  });

  it("reports the contract's refusal and sends nothing: another key, an account without a passkey", async function () {
    const before = await anvil.provider.getTransactionCount(registrar.address);
    const notRegistrar = await station(["add", "x", "--limit", "1", ...as(stranger)]);
    expect(notRegistrar.code).to.equal(COUNCIL_EXIT.refused);
    expect(notRegistrar.err).to.equal(`error (REFUSED): addStation refused: StationsNotRegistrar(${stranger.address})\n`);
    const noPasskey = await station(["staff", "1", stranger.address, ...as(registrar)]);
    expect(noPasskey.code).to.equal(COUNCIL_EXIT.refused);
    expect(noPasskey.err).to.include("StationsNotPasskeyAccount");
    expect(await anvil.provider.getTransactionCount(registrar.address)).to.equal(before);
    expect(await anvil.provider.getTransactionCount(stranger.address)).to.equal(0);
  });

  it("refuses bad input with exit status 2", async function () {
    const badLimit = await station(["limit", "1", "many", ...as(registrar)]);
    expect(badLimit.code).to.equal(COUNCIL_EXIT.usage);
    expect(badLimit.err).to.equal(`error (INVALID_ARGUMENT): the limit must be a whole number up to 4294967295, not "many"\n`);
    const badAccount = await station(["staff", "1", "0x1234", ...as(registrar)]);
    expect(badAccount.code).to.equal(COUNCIL_EXIT.usage);
    expect((await station(["add", "x", ...as(registrar)])).code).to.equal(COUNCIL_EXIT.usage);
  });
});
