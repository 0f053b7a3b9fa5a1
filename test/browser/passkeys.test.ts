import { expect } from "chai";
import { ethers } from "hardhat";
import type { Server } from "node:http";
import type { Browser, CDPSession, Page } from "playwright-core";
import { bytesToHex, type Hex } from "viem";
import { referenceHash } from "../../sdk/src/claims";
import type { ExchangeIntent, RedeemIntent } from "../../sdk/src/eip712";
import { credentialIdHash, fromBase64Url, passkeyAccountOf, passkeyKeyId, type CreatedPasskey } from "../../sdk/src/resident/passkeys";
import { intentToWire } from "../../sdk/src/wire/intents";
import { FAR_DEADLINE, randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "../server/helpers/relayFixture";
import { addVirtualAuthenticator, bundlePage, launchChromium, removeDir, servePage, touchOnly, webAuthnSession } from "./helpers/browser";

type City = {
  create(kind: "phone" | "card"): Promise<CreatedPasskey>;
  register(p: CreatedPasskey): Promise<{ status: number; body: { operation?: { id: string }; error?: { message: string } } }>;
  exchange(p: CreatedPasskey, intent: unknown, ledger: unknown): Promise<{ status: number; body: { operation?: { id: string }; error?: { message: string } } }>;
  redeem(p: CreatedPasskey, intent: unknown, ledger: unknown): Promise<{ status: number; body: { operation?: { id: string }; error?: { message: string } } }>;
  signChange(p: CreatedPasskey, kind: string, message: unknown, registry: unknown): Promise<Hex>;
  storage(): { local: number; session: number };
};
/** The page's functions (page.evaluate runs its callback in the page, so it names them from there). */

describe("passkeys in a real browser (headless Chromium, CDP virtual authenticators)", function () {
  this.timeout(180_000);
  let fx: RelayFixture;
  let dir: string | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let cdp: CDPSession;
  /** The virtual authenticators: the phone's own, and the card's (added later). */
  const authenticators = { phone: "", card: "" };
  const touch = (which: "phone" | "card") => touchOnly(cdp, Object.values(authenticators).filter(Boolean), authenticators[which]);
  let phone: CreatedPasskey;
  let card: CreatedPasskey;
  let account: Hex;
  const partner = randomAddress();
  const ledger = () => ({ chainId: fx.deployment.chainId, address: fx.deployment.ledger });
  const registry = () => ({ chainId: fx.deployment.chainId, address: fx.deployment.passkeyAccounts });
  const passkeys = () => ethers.getContractAt("PasskeyAccounts", fx.deployment.passkeyAccounts);

  async function confirmed(res: { status: number; body: { operation?: { id: string } } }) {
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation!.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
  }
  const exchange = (nonce: bigint): ExchangeIntent => ({ resident: account, fromDomain: 1, toDomain: 2, amountIn: 100n, minAmountOut: 50n, nonce, deadline: FAR_DEADLINE });

  before(async function () {
    fx = await startRelay({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "10000" } });
    await confirmed(await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${partner}`, { allowed: true }));
    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/agreements", { fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, periodCap: "0", validFromPeriod: 0, validUntilPeriod: 1_000_000 }));
    await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${((1n << 32n) | 2n).toString()}/approvals`, { version: 1 }));
    dir = await bundlePage();
    const served = await servePage(dir, fx.relay.app);
    server = served.server;
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    await page.goto(served.url);
    await page.waitForFunction(() => (globalThis as unknown as { city?: unknown }).city !== undefined);
    cdp = await webAuthnSession(page);
    authenticators.phone = await addVirtualAuthenticator(cdp, { transport: "internal" });
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    await fx?.stop();
    removeDir(dir);
  });

  it("creates a phone passkey, reads its P-256 key from the attestation, and registers it through the relay", async () => {
    phone = await page.evaluate(() => (globalThis as unknown as { city: City }).city.create("phone"));
    expect(phone.transports).to.include("internal");
    expect(phone.keyId).to.equal(passkeyKeyId(phone.publicKey));
    expect(phone.account).to.equal(passkeyAccountOf(phone.publicKey));
    account = phone.account.toLowerCase() as Hex;
    await confirmed(await page.evaluate((p) => (globalThis as unknown as { city: City }).city.register(p), phone));
    expect(await (await passkeys()).credentialsOf(account)).to.deep.equal([phone.keyId]);
    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: account, amount: "1000", claimId: "1" }));
  });

  it("signs an exchange and a redemption in the browser, both confirmed on chain with the right balances", async () => {
    await confirmed(await page.evaluate(([p, i, l]) => (globalThis as unknown as { city: City }).city.exchange(p, i, l), [phone, intentToWire(exchange(0n)), ledger()] as const));
    expect(await fx.ledger.balanceOf(account, 1)).to.equal(900n);
    expect(await fx.ledger.balanceOf(account, 2)).to.equal(50n);
    const redeem: RedeemIntent = { resident: account, domainId: 1, amount: 40n, partner: partner.toLowerCase() as Hex, orderRef: referenceHash(`0x${"33".repeat(32)}`, "order-7"), nonce: 1n, deadline: FAR_DEADLINE };
    await confirmed(await page.evaluate(([p, i, l]) => (globalThis as unknown as { city: City }).city.redeem(p, i, l), [phone, intentToWire(redeem), ledger()] as const));
    expect(await fx.ledger.balanceOf(account, 1)).to.equal(860n);
    expect(await fx.ledger.balanceOf(partner, 1)).to.equal(0n); // redeemed points leave circulation
  });

  it("adds a FIDO2 card (a second, roaming authenticator) signed by the phone, then revokes the phone signed by the card", async () => {
    authenticators.card = await addVirtualAuthenticator(cdp, { transport: "usb" });
    await touch("card");
    card = await page.evaluate(() => (globalThis as unknown as { city: City }).city.create("card"));
    expect(card.transports).to.include("usb");
    const registryContract = await passkeys();
    const [submitter] = await ethers.getSigners(); // anyone may submit a signed change
    const rawId = bytesToHex(fromBase64Url(card.credentialId));

    let nonce = await registryContract.changeNonce(account);
    const add = { account, keyId: card.keyId, credentialIdHash: credentialIdHash(rawId), nonce: nonce.toString(), deadline: FAR_DEADLINE.toString() };
    await touch("phone");
    const addAssertion = await page.evaluate(([p, m, r]) => (globalThis as unknown as { city: City }).city.signChange(p, "AddCredential", m, r), [phone, add, registry()] as const);
    await (await registryContract.connect(submitter).addCredential(account, card.publicKey.x, card.publicKey.y, rawId, nonce, FAR_DEADLINE, addAssertion)).wait();

    nonce = await registryContract.changeNonce(account);
    const revoke = { account, keyId: phone.keyId, nonce: nonce.toString(), deadline: FAR_DEADLINE.toString() };
    await touch("card");
    const revokeAssertion = await page.evaluate(([p, m, r]) => (globalThis as unknown as { city: City }).city.signChange(p, "RevokeCredential", m, r), [card, revoke, registry()] as const);
    await (await registryContract.connect(submitter).revokeCredential(account, phone.keyId, nonce, FAR_DEADLINE, revokeAssertion)).wait();
    expect(await registryContract.credentialsOf(account)).to.deep.equal([card.keyId]);
  });

  it("refuses the revoked phone's signature, and takes the card's", async () => {
    await touch("phone");
    const refused = await page.evaluate(([p, i, l]) => (globalThis as unknown as { city: City }).city.exchange(p, i, l), [phone, intentToWire(exchange(2n)), ledger()] as const);
    expect(refused.status).to.equal(401);
    expect(refused.body.error!.message).to.equal("the passkey is revoked: it cannot sign for intent.resident");
    await touch("card");
    await confirmed(await page.evaluate(([p, i, l]) => (globalThis as unknown as { city: City }).city.exchange(p, i, l), [card, intentToWire(exchange(2n)), ledger()] as const));
    expect(await fx.ledger.balanceOf(account, 1)).to.equal(760n);
    expect(await fx.ledger.balanceOf(account, 2)).to.equal(100n);
  });

  it("keeps nothing in the browser's storage", async () => {
    expect(await page.evaluate(() => (globalThis as unknown as { city: City }).city.storage())).to.deep.equal({ local: 0, session: 0 });
  });
});
