/**
 * Paying a partner's payment request in a real browser with a virtual authenticator: a link made by
 * the SDK's paymentRequestLink (a salted order reference hash, an expiry) is pasted and paid, and the
 * chain holds PointsRedeemed with that orderRef; a request opened while signed out asks to sign in
 * and comes back to it; an expired request, one beyond the balance and a malformed link are each
 * refused in plain words with nothing submitted; the browser keeps nothing of the resident.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseEventLogs, type Address, type Hex } from "viem";
import { claimIdForRecordRef, pointsLedgerAbi, referenceHash } from "../../sdk/src";
import { paymentRequestLink, type PaymentRequest } from "../../sdk/src/resident/paymentRequest";
import { READABLE, readability, SCREENSHOTS } from "./helpers/pageChecks";
import { keptByBrowser, mentions, NOTHING_KEPT, onlyPreferences, residentPage, type ResidentPage } from "./helpers/residents";
import { DAY_PARTNER_NAME, PHONE, webStack, type WebStack } from "./helpers/stack";

const SALT = `0x${"88".repeat(32)}` as Hex;

describe("web: paying a partner's payment request (/pay)", function () {
  this.timeout(300_000);
  let stack: WebStack;
  let phone: ResidentPage;
  let account: Address;
  const request = (order: string, fields: Partial<PaymentRequest> = {}): PaymentRequest => ({
    partner: stack.day.partner,
    domainId: 2,
    amount: 30n,
    orderRef: referenceHash(SALT, order),
    expiresAt: Math.floor(Date.now() / 1000) + 600,
    ...fields,
  });
  const nonceOf = (domainId: number) => stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "nonces", args: [account, domainId] });
  const balanceOf = (domainId: number) => stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [account, BigInt(domainId)] });
  /** The PointsRedeemed events of a transaction, as the chain holds them. */
  const redeemedIn = async (hash: Hex) => parseEventLogs({ abi: pointsLedgerAbi, eventName: "PointsRedeemed", logs: (await stack.chain.getTransactionReceipt({ hash })).logs });
  const alert = () => phone.page.locator("main [role=alert]");
  const keepsNothing = async () => {
    expect(onlyPreferences(await keptByBrowser(phone))).to.deep.equal(NOTHING_KEPT);
    expect(await mentions(phone, account)).to.equal(false);
  };

  before(async () => {
    stack = await webStack("residents");
    mkdirSync(SCREENSHOTS, { recursive: true });
    phone = await residentPage(stack, { viewport: PHONE });
    await phone.page.goto(`${phone.origin}/wallet`);
    await phone.page.getByRole("button", { name: "第一次使用：开户" }).click();
    await phone.page.locator(".wallet-bar").waitFor({ timeout: 90_000 });
    account = (await phone.page.locator(".wallet-bar .hex").getAttribute("title")) as Address;
    const { transport } = stack.clients;
    const op = await transport.waitForOperation((await transport.issuePoints({ resident: account, amount: 100n, claimId: claimIdForRecordRef(SALT, "pay-1") })).id, { timeoutMs: 60_000 });
    expect(op.status).to.equal("confirmed");
  });
  after(async () => {
    await phone?.close();
  });

  it("pays a pasted link: shows the partner's name from its agency's directory, the kind of points, amount and expiry; the chain holds PointsRedeemed with the request's orderRef", async () => {
    const paid = request("order-1");
    await phone.page.locator(".wallet-links").getByRole("link", { name: "付款" }).click();
    await phone.page.getByLabel("付款链接").fill(paymentRequestLink(phone.origin, paid));
    await phone.page.getByRole("button", { name: "打开" }).click();
    await phone.page.getByTestId("pay-amount").waitFor();
    expect(await phone.page.getByTestId("pay-amount").innerText()).to.equal("30 分");
    expect(await phone.page.locator(".payment").innerText()).to.include("交通积分");
    // The directory's name replaces the short address once the relay has answered.
    await phone.page.getByTestId("pay-partner").getByText(DAY_PARTNER_NAME, { exact: true }).waitFor();
    expect(new URL(phone.page.url()).pathname).to.equal("/pay");
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "pay-zh-CN-phone.png") });
    await phone.page.getByRole("button", { name: "用通行密钥付款" }).click();
    const done = phone.page.locator(".done");
    await done.waitFor({ timeout: 90_000 });
    expect(await done.innerText()).to.include("付款成功：交通积分 30 分。");
    const hash = (await done.getByRole("link").getAttribute("href"))!.replace("/ledger/tx/", "") as Hex;
    const [event] = await redeemedIn(hash);
    expect(event.args).to.deep.include({ domainId: 2, resident: account, partner: stack.day.partner, amount: 30n, orderRef: paid.orderRef });
    expect(await balanceOf(2)).to.equal(70n);
    await keepsNothing();
  });

  it("opened while signed out (a reload forgets the session), asks to sign in and comes back to the same request, then pays it (English)", async () => {
    const paid = request("order-2", { amount: 20n });
    await phone.page.goto(paymentRequestLink(phone.origin, paid).replace("/pay?", "/pay?lang=en&"));
    await phone.page.getByText("Please sign in first. You will come back to this payment.").waitFor();
    expect(await phone.page.getByTestId("pay-amount").innerText()).to.equal("20 points");
    await phone.page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await phone.page.getByRole("button", { name: "Pay with my passkey" }).waitFor({ timeout: 60_000 });
    expect(await phone.page.getByTestId("pay-amount").innerText()).to.equal("20 points");
    expect(await readability(phone.page)).to.deep.equal(READABLE);
    await phone.page.screenshot({ path: join(SCREENSHOTS, "pay-en-phone.png") });
    await phone.page.getByRole("button", { name: "Pay with my passkey" }).click();
    await phone.page.locator(".done").waitFor({ timeout: 90_000 });
    const hash = (await phone.page.locator(".done").getByRole("link").getAttribute("href"))!.replace("/ledger/tx/", "") as Hex;
    expect((await redeemedIn(hash))[0].args).to.deep.include({ amount: 20n, orderRef: paid.orderRef });
    expect(await balanceOf(2)).to.equal(50n);
    await keepsNothing();
  });

  it("refuses an expired request before signing, in plain words: nothing is submitted", async () => {
    const nonce = await nonceOf(2);
    await phone.page.goto(paymentRequestLink(phone.origin, request("order-3", { expiresAt: Math.floor(Date.now() / 1000) - 5 })));
    await phone.page.getByRole("button", { name: "用通行密钥登录" }).click();
    await phone.page.getByRole("button", { name: "用通行密钥付款" }).click();
    await alert().waitFor();
    expect(await alert().innerText()).to.equal("这个付款请求已经过期，没有付款。请让商户重新生成一个。");
    expect(await nonceOf(2)).to.equal(nonce);
    expect(await balanceOf(2)).to.equal(50n);
  });

  it("refuses a request beyond the balance, in plain words: nothing is submitted", async () => {
    const nonce = await nonceOf(2);
    await phone.page.locator(".wallet-links").getByRole("link", { name: "付款" }).click();
    await phone.page.getByLabel("付款链接").fill(paymentRequestLink(phone.origin, request("order-4", { amount: 51n })));
    await phone.page.getByRole("button", { name: "打开" }).click();
    await phone.page.getByRole("button", { name: "用通行密钥付款" }).click();
    await alert().waitFor();
    expect(await alert().innerText()).to.equal("您的这种积分不够，没有付出任何积分。");
    expect(await nonceOf(2)).to.equal(nonce);
  });

  it("says what is wrong with a malformed link, in plain words, and offers to open another", async () => {
    const good = new URL(paymentRequestLink(phone.origin, request("order-5")));
    good.searchParams.set("to", "0x1234");
    await phone.page.goto(good.href);
    await alert().waitFor();
    expect(await alert().innerText()).to.equal("付款链接里的商户不对，可能链接不完整。请让商户重新给您。");
    expect(await phone.page.getByLabel("付款链接").count()).to.equal(1);
    await phone.page.getByLabel("付款链接").fill("https://example.com/not-a-payment");
    await phone.page.getByRole("button", { name: "打开" }).click();
    await phone.page.locator("section [role=alert]").waitFor();
    expect(await phone.page.locator("section [role=alert]").innerText()).to.match(/^付款链接里的.+不对/);
  });

  it("shows the scan button only where the browser can scan (BarcodeDetector and a camera)", async () => {
    await phone.page.goto(`${phone.origin}/pay`);
    await phone.page.getByLabel("付款链接").waitFor();
    const canScan = await phone.page.evaluate(() => "BarcodeDetector" in window && typeof navigator.mediaDevices?.getUserMedia === "function");
    expect(await phone.page.getByRole("button", { name: "扫码" }).count()).to.equal(canScan ? 1 : 0);
    await phone.page.addInitScript(() => {
      (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
        async detect() {
          return [];
        }
      };
    });
    await phone.page.reload();
    await phone.page.getByLabel("付款链接").waitFor();
    const hasCamera = await phone.page.evaluate(() => typeof navigator.mediaDevices?.getUserMedia === "function");
    expect(await phone.page.getByRole("button", { name: "扫码" }).count()).to.equal(hasCamera ? 1 : 0);
  });
});
