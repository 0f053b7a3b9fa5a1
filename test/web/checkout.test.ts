/**
 * A partner's checkout in a real browser against `npm start`'s relay and chain: the page makes a
 * payment request (read from the link it shows), a resident pays it through the SDK with an
 * ECDSA-signed intent, and the page turns paid with the transaction; paying the same request again
 * fails on chain with PointsLedgerOrderAlreadyPaid, as the operation says; an unpaid request past its
 * expiry shows expired; today's list and its CSV match the chain's logs; the order reference never
 * leaves the page; and on a phone it neither scrolls sideways nor has a serious axe violation.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { parseAbiItem, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildRedeemIntent, claimIdForRecordRef, parsePaymentRequest, signIntent, type PaymentRequest } from "../../sdk/src";
import { intentToWire } from "../../sdk/src/wire/intents";
import { PHONE, webStack, type WebStack } from "./helpers/stack";

const REDEEMED = parseAbiItem("event PointsRedeemed(uint32 indexed domainId, address indexed resident, address indexed partner, uint256 amount, bytes32 orderRef, uint256 nonce)");
const SHOP_NAME = "社区便民超市";
const REFERENCE = "小票-0042/收银台3";
const ROOT = join(__dirname, "..", "..");
const SCREENSHOTS = process.env.WRITE_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : undefined;

describe("web: a partner's checkout", function () {
  this.timeout(300_000);
  let stack: WebStack;
  const shop = privateKeyToAccount(generatePrivateKey()).address.toLowerCase() as Hex;
  const carol = privateKeyToAccount(generatePrivateKey());
  /** Every request the checkout pages sent: address and body. */
  const sent: { url: string; body: string }[] = [];

  before(async () => {
    stack = await webStack();
    const { volunteer, transport } = stack.clients;
    const done = (client: typeof volunteer, op: { id: string }) => client.waitForOperation(op.id, { timeoutMs: 60_000 });
    await done(volunteer, await volunteer.setPartner({ partner: shop }));
    await done(transport, await transport.setPartner({ partner: shop }));
    await volunteer.setPartnerName({ partner: shop, name: SHOP_NAME });
    await transport.setPartnerName({ partner: shop, name: `${SHOP_NAME}（交通积分）` });
    await done(volunteer, await volunteer.issuePoints({ resident: carol.address, amount: 200n, claimId: claimIdForRecordRef(`0x${"c4".repeat(32)}`, "carol") }));
  });

  async function openCheckout(): Promise<{ page: Page; close(): Promise<void> }> {
    const { context, page } = await stack.newPage({ viewport: PHONE });
    page.on("request", (r) => sent.push({ url: r.url(), body: r.postData() ?? "" }));
    await page.goto(`${stack.url}/partners/${shop}`);
    await page.locator("main h1").waitFor();
    return { page, close: () => context.close() };
  }

  async function makeRequest(page: Page, amount: string, minutes = "10"): Promise<{ link: string; request: PaymentRequest }> {
    await page.getByLabel("金额（积分）").fill(amount);
    await page.getByLabel("订单号").fill(REFERENCE);
    await page.getByLabel("积分种类").selectOption({ label: "志愿者积分" });
    await page.getByLabel("有效时间（分钟）").fill(minutes);
    await page.getByRole("button", { name: "生成付款码" }).click();
    const link = (await page.locator("a.payment-link").getAttribute("href"))!;
    return { link, request: parsePaymentRequest(link) };
  }

  /** Carol pays the request as her app would: an intent with the request's expiry as its deadline. */
  async function pay(request: PaymentRequest, nonce: bigint) {
    const intent = buildRedeemIntent({ resident: carol.address, domainId: request.domainId, amount: request.amount, partner: request.partner, orderRef: request.orderRef, nonce, deadline: BigInt(request.expiresAt) });
    const { signature } = await signIntent(carol, "RedeemIntent", intent, { chainId: stack.deployment.chainId, address: stack.deployment.ledger });
    const res = await fetch(`${stack.url}/v1/resident/redemptions`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": `carol-${nonce}` },
      body: JSON.stringify({ intent: intentToWire(intent), signature }),
    });
    expect(res.status).to.equal(202);
    const { operation } = (await res.json()) as { operation: { id: string } };
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      const op = (await (await fetch(`${stack.url}/v1/operations/${operation.id}`)).json()) as { operation: { status: string; error?: unknown; transaction?: { hash: string } } };
      if (op.operation.status === "confirmed" || op.operation.status === "failed") return op.operation;
    }
    throw new Error("the payment did not become final");
  }

  const shopLogs = () => stack.chain.getLogs({ address: stack.deployment.ledger, event: REDEEMED, args: { partner: shop }, fromBlock: 0n });

  it("makes a request, turns paid once the chain shows it, refuses a second payment, and lists today's payments as on chain", async () => {
    const { page, close } = await openCheckout();
    try {
      expect(await page.locator("main h1").innerText()).to.equal(`${SHOP_NAME} 收款`);
      const madeAt = Math.floor(Date.now() / 1000);
      const { link, request } = await makeRequest(page, "25");
      expect(link.startsWith(`${stack.url}/pay?`)).to.equal(true);
      expect(request).to.deep.include({ domainId: 1, amount: 25n });
      expect(request.partner.toLowerCase()).to.equal(shop);
      expect(request.expiresAt).to.be.within(madeAt + 595, madeAt + 605);
      expect(await page.locator("figure.qr svg").getAttribute("aria-label")).to.equal("付款码：25 志愿者积分");
      expect(await page.getByText("等待付款").count()).to.equal(1);

      const paid = await pay(request, 0n);
      expect(paid.status).to.equal("confirmed");
      const status = page.locator('[data-state="paid"]');
      await status.waitFor({ timeout: 30_000 });
      expect(await status.innerText()).to.contain("已付款：链上已确认。");
      const [log] = await shopLogs();
      expect(log.args).to.deep.include({ domainId: 1, amount: 25n, orderRef: request.orderRef });
      expect(await status.locator("a").getAttribute("href")).to.equal(`/ledger/tx/${log.transactionHash}`);
      expect(paid.transaction!.hash).to.equal(log.transactionHash);

      // The same request again: the relay takes it (the intent is valid), the chain refuses it.
      const again = await pay(request, 1n);
      expect(again.status).to.equal("failed");
      expect(again.error).to.deep.include({ name: "PointsLedgerOrderAlreadyPaid" });
      expect((again.error as { message: string }).message).to.contain("was already paid to partner");
      expect(await shopLogs()).to.have.length(1);

      // Today's list and its CSV against the chain's logs.
      const rows = page.locator('#today table:has(caption:text-is("今天收到的积分")) tbody tr');
      await rows.first().waitFor();
      expect(await rows.count()).to.equal(1);
      expect(await rows.first().locator('[data-label="订单哈希"] .hex').getAttribute("title")).to.equal(request.orderRef);
      const totals = page.locator('#today table:has(caption:text-is("合计")) tbody tr');
      expect((await totals.first().innerText()).replace(/\s+/g, " ")).to.contain("志愿者积分").and.to.contain("25");
      const [download] = await Promise.all([page.waitForEvent("download"), page.locator('button[data-csv^="redemptions-"]:not([data-csv$="totals.csv"])').click()]);
      const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
      const [header, ...lines] = csv.trim().split("\r\n");
      expect(header).to.equal("时间,积分种类,金额（积分）,订单哈希,交易");
      const block = await stack.chain.getBlock({ blockNumber: log.blockNumber });
      expect(lines).to.deep.equal([`${new Date(Number(block.timestamp) * 1000).toISOString()},志愿者积分,25,${request.orderRef},${log.transactionHash}`]);
      expect(csv.toLowerCase()).not.to.contain(carol.address.toLowerCase().slice(2));

      expect(await overflow(page)).to.equal(0);
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).to.deep.equal([]);
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, "partner-checkout-paid-zh-CN-phone.png"), fullPage: true });
    } finally {
      await close();
    }
  });

  it("shows an unpaid request as expired once its time has passed", async () => {
    const { page, close } = await openCheckout();
    try {
      await page.clock.install();
      const { request } = await makeRequest(page, "5", "1");
      await page.getByText("等待付款").waitFor();
      expect(await page.locator('[data-state="expired"]').count()).to.equal(0);
      // The page's clock moves past the expiry (and its grace); the index, up to date, shows no payment.
      await page.clock.fastForward((request.expiresAt - Math.floor(Date.now() / 1000) + 60) * 1000);
      const expired = page.locator('[data-state="expired"]');
      await expired.waitFor({ timeout: 30_000 });
      expect(await expired.innerText()).to.contain("已过期");
      expect(await page.locator("figure.qr").count()).to.equal(0);
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, "partner-checkout-expired-zh-CN-phone.png"), fullPage: true });
    } finally {
      await close();
    }
  });

  it("never sends the order reference: not in any address or body the pages requested", () => {
    expect(sent.length).to.be.greaterThan(5);
    const forms = [REFERENCE, encodeURIComponent(REFERENCE), encodeURIComponent(REFERENCE).toLowerCase(), "小票"];
    for (const { url, body } of sent) for (const form of forms) expect(`${url} ${body}`, url).not.to.contain(form);
    expect(sent.some((r) => r.url.includes("/redemptions?orderRef="))).to.equal(true);
  });
});

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
