/**
 * The residents' wallet in a real browser with a virtual authenticator, against `npm start`: a
 * resident signs up with a passkey, an agency issues to the resident's account code, the balances
 * and history show what the chain holds, an exchange at the quote shown is confirmed and moves both
 * balances by the quoted amounts, refusals (a balance too small, an agreement's cap) are worded
 * plainly and submit nothing, the same passkey on another device signs in to the same account, and
 * the browser keeps nothing of the resident. Signed-in pages pass the readability checks.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { agreementIdOf, claimIdForRecordRef, passkeyAccountsAbi, pointsLedgerAbi } from "../../sdk/src";
import { READABLE, readability, SCREENSHOTS } from "./helpers/pageChecks";
import { copyPasskeys, keptByBrowser, mentions, NOTHING_KEPT, onlyPreferences, residentPage, type ResidentPage } from "./helpers/residents";
import { PHONE, webStack, type WebStack } from "./helpers/stack";

const SALT = `0x${"77".repeat(32)}` as Hex;

describe("web: the residents' wallet (passkeys, balances, history, exchange)", function () {
  this.timeout(300_000);
  let stack: WebStack;
  let phone: ResidentPage;
  let account: Address;
  let issueTx: string;
  const balanceOf = (domainId: number) =>
    stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [account, BigInt(domainId)] });
  const nonceOf = (domainId: number) => stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "nonces", args: [account, domainId] });
  /** Goes to a wallet page through its link: a client-side move, as a resident taps it (a reload would sign out). */
  const open = async (name: RegExp | string) => {
    await phone.page.locator(".wallet-links").getByRole("link", { name }).click();
    await phone.page.locator("main h1").waitFor();
  };
  const keepsNothing = async () => {
    expect(onlyPreferences(await keptByBrowser(phone))).to.deep.equal(NOTHING_KEPT);
    expect(await mentions(phone, account)).to.equal(false);
  };

  before(async () => {
    stack = await webStack("residents");
    mkdirSync(SCREENSHOTS, { recursive: true });
    phone = await residentPage(stack, { viewport: PHONE });
  });
  after(async () => {
    await phone?.close();
  });

  it("signs up with a passkey (Chinese by default): the account is registered on chain and its code is shown as a QR code and as text", async () => {
    await phone.page.goto(`${phone.origin}/`);
    await phone.page.getByRole("link", { name: "我的积分" }).first().click();
    await phone.page.getByRole("button", { name: "第一次使用：开户" }).click();
    await phone.page.locator(".wallet-bar").waitFor({ timeout: 90_000 });
    await open("我的账户码");
    account = (await phone.page.getByTestId("account-code").innerText()).trim() as Address;
    expect(account).to.match(/^0x[0-9a-fA-F]{40}$/);
    expect(await phone.page.getByRole("img", { name: "我的账户码的二维码" }).count()).to.equal(1);
    const credentials = await stack.chain.readContract({ address: stack.deployment.passkeyAccounts, abi: passkeyAccountsAbi, functionName: "credentialsOf", args: [account] });
    expect(credentials).to.have.length(1);
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "wallet-account-zh-CN-phone.png") });
    await keepsNothing();
  });

  it("shows what an agency issued to the account code: the balance the chain holds, and the issuance in the history linked to its transaction", async () => {
    const volunteer = stack.clients.volunteer;
    const op = await volunteer.waitForOperation((await volunteer.issuePoints({ resident: account, amount: 500n, claimId: claimIdForRecordRef(SALT, "wallet-1") })).id, { timeoutMs: 60_000 });
    expect(op.status).to.equal("confirmed");
    issueTx = op.transaction!.hash;
    await open("积分和记录");
    const card = phone.page.locator('.balances [data-domain="1"]');
    await card.waitFor();
    expect(await balanceOf(1)).to.equal(500n);
    expect(await card.innerText()).to.include("志愿者积分").and.include("500 分");
    const entry = phone.page.locator('.history [data-type="issued"]');
    await entry.waitFor();
    expect(await entry.innerText()).to.include("获得").and.include("500 分");
    expect(await entry.getByRole("link").getAttribute("href")).to.equal(`/ledger/tx/${issueTx}`);
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "wallet-zh-CN-phone.png") });
    await keepsNothing();
  });

  it("exchanges at the quote shown (rate, amount out, what rounding leaves, the smallest amount for the same): both balances move by exactly the quoted amounts", async () => {
    await open("兑换");
    await phone.page.getByLabel("用哪种积分").selectOption("1");
    await phone.page.getByLabel("换成哪种积分").selectOption("2");
    await phone.page.getByLabel(/用多少分/).fill("101");
    await phone.page.getByTestId("quote-out").waitFor();
    // The day's agreement 1 → 2 gives 1 for every 2.
    expect(await phone.page.getByTestId("quote-rate").innerText()).to.equal("每 2 分志愿者积分换 1 分交通积分");
    expect(await phone.page.getByTestId("quote-out").innerText()).to.equal("50 分");
    expect(await phone.page.getByTestId("quote-leftover").innerText()).to.equal("1 分");
    expect(await phone.page.getByTestId("quote-smallest").innerText()).to.equal("100 分");
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "exchange-zh-CN-phone.png") });
    const before = { from: await balanceOf(1), to: await balanceOf(2) };
    await phone.page.getByRole("button", { name: "用通行密钥确认兑换" }).click();
    await phone.page.locator(".done").waitFor({ timeout: 90_000 });
    expect(await phone.page.locator(".done").innerText()).to.include("101 分志愿者积分换成了 50 分交通积分");
    expect({ from: await balanceOf(1), to: await balanceOf(2) }).to.deep.equal({ from: before.from - 101n, to: before.to + 50n });
    await keepsNothing();
  });

  it("refuses an exchange beyond the balance in plain words, before asking for the passkey: nothing is submitted", async () => {
    const nonce = await nonceOf(1);
    await phone.page.getByLabel(/用多少分/).fill("9000");
    await phone.page.getByTestId("quote-out").waitFor();
    await phone.page.getByRole("button", { name: "用通行密钥确认兑换" }).click();
    const alert = phone.page.locator("form [role=alert]");
    await alert.waitFor();
    expect(await alert.innerText()).to.equal("您的这种积分不够，没有付出任何积分。");
    expect(await nonceOf(1)).to.equal(nonce);
    expect(await balanceOf(1)).to.equal(399n);
  });

  it("refuses an exchange beyond the agreement's cap for the period in plain words: nothing is submitted", async () => {
    const { culture, environment } = stack.clients;
    const wait = (client: typeof culture, id: string) => client.waitForOperation(id, { timeoutMs: 60_000 });
    expect((await wait(culture, (await culture.issuePoints({ resident: account, amount: 100n, claimId: claimIdForRecordRef(SALT, "wallet-c") })).id)).status).to.equal("confirmed");
    expect((await wait(culture, (await culture.proposeAgreement({ fromDomain: 3, toDomain: 4, rateNum: 1, rateDen: 2, periodCap: 10n, validFromPeriod: 0, validUntilPeriod: 1_000_000 })).id)).status).to.equal("confirmed");
    expect((await wait(environment, (await environment.approveAgreement({ agreementId: agreementIdOf(3, 4), version: 1 })).id)).status).to.equal("confirmed");
    await phone.page.getByLabel("用哪种积分").selectOption("3");
    await phone.page.getByLabel("换成哪种积分").selectOption("4");
    await phone.page.getByLabel(/用多少分/).fill("20");
    await phone.page.getByTestId("quote-out").waitFor();
    const nonce = await nonceOf(3);
    await phone.page.getByRole("button", { name: "用通行密钥确认兑换" }).click();
    const alert = phone.page.locator("form [role=alert]");
    await alert.waitFor();
    expect(await alert.innerText()).to.equal("这项兑换协议本期的额度不够了，没有兑换。请换一个较小的数量，或下一期再来。");
    expect(await nonceOf(3)).to.equal(nonce);
    expect(await balanceOf(3)).to.equal(100n);
  });

  it("says there is no agreement, in plain words, for two kinds of points without one", async () => {
    await phone.page.getByLabel("用哪种积分").selectOption("4");
    await phone.page.getByLabel("换成哪种积分").selectOption("1");
    await phone.page.getByLabel(/用多少分/).fill("5");
    const alert = phone.page.locator(".quote [role=alert]");
    await alert.waitFor();
    expect(await alert.innerText()).to.equal("这两种积分之间没有兑换协议，不能兑换。");
  });

  it("in English on switching: the history names the exchange, the balances follow the chain; signed-in pages stay readable", async () => {
    await phone.page.getByRole("button", { name: "English" }).click();
    await open("Points and history");
    await phone.page.locator('.history [data-type="exchanged"]').waitFor();
    const exchanged = await phone.page.locator('.history [data-type="exchanged"]').innerText();
    expect(exchanged).to.include("Exchanged: 101 Volunteer points for 50 Transport points").and.include("version 1").and.include("1 Transport points for every 2 Volunteer points");
    expect(await phone.page.locator('.balances [data-domain="2"]').innerText()).to.include(`${await balanceOf(2)} points`);
    expect(await phone.page.locator("main").innerText()).not.to.match(/[\u4e00-\u9fff]/);
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "wallet-en-phone.png") });
    await open("Exchange");
    await phone.page.getByLabel("Points to exchange").selectOption("1");
    await phone.page.getByLabel("Points to get").selectOption("2");
    await phone.page.getByLabel(/How many/).fill("7");
    await phone.page.getByTestId("quote-out").waitFor();
    expect(await phone.page.getByTestId("quote-out").innerText()).to.equal("3 points");
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "exchange-en-phone.png") });
    await keepsNothing();
  });

  it("after a reload the resident is signed out; the same passkey on another device signs in to the same account; signing out forgets it", async () => {
    await phone.page.reload();
    await phone.page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
    expect(await phone.page.locator(".wallet-bar").count()).to.equal(0);

    const other = await residentPage(stack, { viewport: PHONE });
    try {
      expect(await copyPasskeys(phone, other)).to.equal(1);
      await other.page.goto(`${other.origin}/wallet`);
      await other.page.getByRole("button", { name: "用通行密钥登录" }).click();
      await other.page.locator(".wallet-bar").waitFor({ timeout: 60_000 });
      expect(await other.page.locator(".wallet-bar .hex").getAttribute("title")).to.equal(account);
      await other.page.locator(".balances [data-domain='1']").waitFor();
      expect(await other.page.locator(".balances [data-domain='1']").innerText()).to.include(`${await balanceOf(1)} 分`);
      expect(onlyPreferences(await keptByBrowser(other))).to.deep.equal(NOTHING_KEPT);
      await other.page.getByRole("button", { name: "退出登录" }).click();
      await other.page.getByRole("button", { name: "用通行密钥登录" }).waitFor();
      expect(await other.page.locator(".wallet-bar").count()).to.equal(0);
    } finally {
      await other.close();
    }
  });

  it("a passkey the relay never registered is told to open an account, in plain words", async () => {
    const stranger = await residentPage(stack, { viewport: PHONE });
    try {
      // A credential created on the authenticator but never registered: no account has it.
      await stranger.page.goto(`${stranger.origin}/wallet`);
      await stranger.page.evaluate(async () => {
        await navigator.credentials.create({
          publicKey: {
            rp: { id: location.hostname, name: "x" },
            user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "x", displayName: "x" },
            challenge: crypto.getRandomValues(new Uint8Array(32)),
            pubKeyCredParams: [{ type: "public-key", alg: -7 }],
            authenticatorSelection: { residentKey: "required", userVerification: "required" },
          },
        });
      });
      await stranger.page.getByRole("button", { name: "用通行密钥登录" }).click();
      const alert = stranger.page.locator(".sign-in [role=alert]");
      await alert.waitFor({ timeout: 60_000 });
      expect(await alert.innerText()).to.equal("这个通行密钥还没有开户。请点“第一次使用：开户”。");
    } finally {
      await stranger.close();
    }
  });
});
