import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Interface, ethers } from "ethers";
import type { Browser, Page } from "playwright-core";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { CITY_CHAIN, startUnlockedAnvil, type UnlockedChain } from "../../scripts/lib/anvil";
import { deployCityLedger } from "../../scripts/lib/deploy";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { audit, type AuditReport } from "../../sdk/src/entries/auditor";
import { buildExchangeIntent, signIntent } from "../../sdk/src/entries/resident";
import type { Deployment } from "../../sdk/src/deployment";
import { launchChromium } from "../../scripts/lib/chromium";
import { bundleForBrowser, type BrowserBundle } from "./helpers/browserBundle";
import type { BrowserPage, SignInput } from "./helpers/browserPage";
import { accountSlot } from "./helpers/storage";

/** Names in several scripts, so the decoder's UTF-8 path runs in the browser (at most 32 bytes each). */
const DOMAIN_NAMES = ["volunteer 志愿者积分", "transport 交通积分", "culture 文化消费积分", "environment 环保积分"];
const RESIDENTS = Array.from({ length: 40 }, (_, i) => ethers.getAddress(ethers.toBeHex(0x7000 + i, 20)));
const LOW_96 = (1n << 96n) - 1n;

/** The parts of a report that do not depend on when and how fast it ran. */
function comparable(report: AuditReport): Omit<AuditReport, "startedAt" | "seconds"> {
  const { startedAt: _startedAt, seconds: _seconds, ...rest } = report;
  return rest;
}

describe("the SDK's browser entries, run in Chromium", function () {
  this.timeout(300_000);
  let anvil: UnlockedChain;
  let dir: string;
  let deployment: Deployment;
  let bundle: BrowserBundle;
  let server: Server;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    anvil = await startUnlockedAnvil({ accounts: 8, args: CITY_CHAIN, corsForTestPages: true }); // the page reads the node itself
    dir = mkdtempSync(join(tmpdir(), "browser-run-"));
    const accounts = await Promise.all(Array.from({ length: 7 }, (_, i) => anvil.signer(i).then((s) => s.getAddress())));
    deployment = await deployCityLedger(
      await anvil.signer(0),
      {
        councilMembers: accounts.slice(1, 4),
        councilThreshold: 2,
        pauser: accounts[5],
        periodSeconds: 86_400,
        domains: DOMAIN_NAMES.map((name, i) => ({
          name,
          agency: accounts[i + 1],
          pointValue: 10,
          residentCap: 0n,
          transferable: false,
          issuers: [{ address: accounts[i + 1], quota: 10n ** 12n }],
        })),
      },
      join(dir, "deployment.json"),
      { fees: "free" },
    );
    const ledger = new Interface(pointsLedgerAbi as never);
    for (let batch = 0; batch < 4; batch++) {
      const items = RESIDENTS.slice(batch * 10, batch * 10 + 10).map((resident, i) => ({ resident, amount: 5 + i, claimId: batch * 10 + i }));
      await anvil.transact(accounts[1], deployment.ledger, ledger.encodeFunctionData("issueBatch", [1, items]));
    }

    bundle = await bundleForBrowser(join(__dirname, "helpers", "browserPage.ts"));
    server = createServer((req, res) => {
      if (req.url === "/page.js") {
        res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(bundle.code);
      } else if (req.url === "/") {
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end('<!doctype html><script type="module" src="/page.js"></script>');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    browser = await launchChromium();
    page = await browser.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => "sdkPage" in globalThis);
  });

  after(async function () {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await anvil?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const inPage = {
    audit: () =>
      page.evaluate(
        ([rpcUrl, raw]) => (globalThis as unknown as { sdkPage: BrowserPage }).sdkPage.audit(rpcUrl, raw),
        [anvil.url, JSON.parse(readFileSync(join(dir, "deployment.json"), "utf8"))] as const,
      ),
    signExchange: (input: SignInput) => page.evaluate((i) => (globalThis as unknown as { sdkPage: BrowserPage }).sdkPage.signExchange(i), input),
  };

  it("bundles the page with no Node built-in module or global", function () {
    expect([bundle.builtins, bundle.globals]).to.deep.equal([[], []]);
  });

  it("audits the chain from the page, over HTTP to the node, and reports what Node's auditor reports", async function () {
    const fromBrowser = await inPage.audit();
    const fromNode = await audit({ rpcUrl: anvil.url, deployment });
    expect(fromBrowser.ok).to.equal(true);
    expect(fromBrowser.events.byName.PointsIssued).to.equal(RESIDENTS.length);
    expect(fromBrowser.domains.map((d) => d.name)).to.deep.equal(DOMAIN_NAMES);
    expect(fromBrowser.balanceReads).to.deep.equal({ accounts: RESIDENTS.length, nonces: 0, method: "state-override" });
    expect(comparable(fromBrowser)).to.deep.equal(comparable(fromNode));
    expect(pageErrors).to.deep.equal([]);
  });

  it("finds a balance changed under the contract, as Node's auditor does", async function () {
    const resident = RESIDENTS[17];
    const slot = ethers.toBeHex(accountSlot(1, resident), 32);
    const raw = BigInt(await anvil.provider.getStorage(deployment.ledger, slot));
    await anvil.provider.send("anvil_setStorageAt", [deployment.ledger, slot, ethers.toBeHex(raw + 3n, 32)]);
    try {
      const fromBrowser = await inPage.audit();
      const fromNode = await audit({ rpcUrl: anvil.url, deployment });
      const i2 = fromBrowser.violations.filter((v) => v.invariant === "I2");
      expect(i2.map((v) => [v.details.resident, v.details.onChain, v.details.rebuilt])).to.deep.equal([
        [resident.toLowerCase(), String((raw & LOW_96) + 3n), String(raw & LOW_96)],
      ]);
      expect(fromBrowser.ok).to.equal(false);
      expect(comparable(fromBrowser)).to.deep.equal(comparable(fromNode));
    } finally {
      await anvil.provider.send("anvil_setStorageAt", [deployment.ledger, slot, ethers.toBeHex(raw, 32)]);
    }
  });

  it("signs a resident's exchange intent in the page as Node signs it, verifies it and parses the relay request", async function () {
    const key = generatePrivateKey();
    const ledger = { chainId: deployment.chainId, address: deployment.ledger as Hex };
    const input: SignInput = { key, ledger, fromDomain: 1, toDomain: 2, amountIn: "100", minAmountOut: "42", nonce: "0", deadline: "1900000000" };
    const fromBrowser = await inPage.signExchange(input);
    const intent = buildExchangeIntent({
      resident: privateKeyToAccount(key).address,
      fromDomain: 1,
      toDomain: 2,
      amountIn: 100n,
      minAmountOut: 42n,
      nonce: 0n,
      deadline: 1_900_000_000n,
    });
    const fromNode = await signIntent(privateKeyToAccount(key), "ExchangeIntent", intent, ledger);
    expect(fromBrowser).to.deep.equal({ signature: fromNode.signature, valid: true, parsedAmountIn: "100" });
    expect(pageErrors).to.deep.equal([]);
  });
});
