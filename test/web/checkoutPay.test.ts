/**
 * The partner and the resident together, each in their own browser context: the partner's checkout
 * makes a payment request, the resident opens its link in the wallet and pays it with a passkey,
 * the partner's page turns paid with the same transaction the chain holds, and the resident paying
 * the same request again is refused in plain words before anything is signed, with nothing spent
 * (the ledger itself refuses an order a second time: test/web/checkout.test.ts). Runs on the residents' stack (test/web/helpers/stack.ts), which this writes to.
 */
import { expect } from "chai";
import { parseEventLogs, type Address, type Hex } from "viem";
import { claimIdForRecordRef, parsePaymentRequest, pointsLedgerAbi } from "../../sdk/src";
import { residentPage, type ResidentPage } from "./helpers/residents";
import { DAY_PARTNER_NAME, PHONE, webStack, type WebStack } from "./helpers/stack";

const SALT = `0x${"5e".repeat(32)}` as Hex;

describe("web: a partner's request paid in the wallet", function () {
  this.timeout(300_000);
  let stack: WebStack;
  let resident: ResidentPage;
  let account: Address;

  const balance = async () =>
    (await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [account, 2n] })) as bigint;

  before(async () => {
    stack = await webStack("residents");
    resident = await residentPage(stack, { viewport: PHONE });
    await resident.page.goto(`${resident.origin}/wallet`);
    await resident.page.getByRole("button", { name: "第一次使用：开户" }).click();
    await resident.page.locator(".wallet-bar").waitFor({ timeout: 90_000 });
    account = (await resident.page.locator(".wallet-bar .hex").getAttribute("title")) as Address;
    const { transport } = stack.clients;
    const op = await transport.waitForOperation((await transport.issuePoints({ resident: account, amount: 100n, claimId: claimIdForRecordRef(SALT, "both-1") })).id, { timeoutMs: 60_000 });
    expect(op.status).to.equal("confirmed");
  });
  after(async () => {
    await resident?.close();
  });

  async function payInWallet(link: string) {
    await resident.page.locator(".wallet-links").getByRole("link", { name: "付款" }).click();
    await resident.page.getByLabel("付款链接").fill(link);
    await resident.page.getByRole("button", { name: "打开" }).click();
    // The directory's name replaces the short address once the relay has answered.
    await resident.page.getByTestId("pay-partner").getByText(DAY_PARTNER_NAME, { exact: true }).waitFor();
    await resident.page.getByRole("button", { name: "用通行密钥付款" }).click();
  }

  it("the checkout's request, paid by passkey, turns paid on the partner's page; a second payment is refused in plain words before signing and spends nothing", async () => {
    const { context, page } = await stack.newPage({ viewport: PHONE });
    try {
      await page.goto(`${stack.url}/partners/${stack.day.partner.toLowerCase()}`);
      await page.getByLabel("金额（积分）").fill("30");
      await page.getByLabel("订单号").fill("柜台-7");
      const domains = page.getByLabel("积分种类");
      if ((await domains.count()) > 0 && (await domains.evaluate((e) => e.tagName)) === "SELECT") await domains.selectOption({ label: "交通积分" });
      await page.getByRole("button", { name: "生成付款码" }).click();
      const link = (await page.locator("a.payment-link").getAttribute("href"))!;
      const request = parsePaymentRequest(link);
      expect(request).to.include({ domainId: 2, amount: 30n });

      await payInWallet(link.replace("//127.0.0.1:", "//localhost:"));
      const done = resident.page.locator(".done");
      await done.waitFor({ timeout: 90_000 });
      const hash = (await done.getByRole("link").getAttribute("href"))!.replace("/ledger/tx/", "") as Hex;
      const receipt = await stack.chain.getTransactionReceipt({ hash });
      const [redeemed] = parseEventLogs({ abi: pointsLedgerAbi, eventName: "PointsRedeemed", logs: receipt.logs });
      expect(redeemed.args).to.deep.include({ resident: account, partner: stack.day.partner, amount: 30n, orderRef: request.orderRef });
      expect(await balance()).to.equal(70n);

      const status = page.locator('[data-state="paid"]');
      await status.waitFor({ timeout: 60_000 });
      expect(await status.innerText()).to.contain("已付款：链上已确认。");
      expect(await status.getByRole("link").getAttribute("href")).to.equal(`/ledger/tx/${hash}`);

      const nonce = await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "nonces", args: [account, 2] });
      await payInWallet(link.replace("//127.0.0.1:", "//localhost:"));
      const alert = resident.page.getByRole("alert");
      await alert.waitFor({ timeout: 90_000 });
      expect(await alert.innerText()).to.contain("这笔订单已经付过款了，没有再次付款。");
      expect(await balance()).to.equal(70n);
      expect(await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "nonces", args: [account, 2] })).to.equal(nonce);
    } finally {
      await context.close();
    }
  });
});
