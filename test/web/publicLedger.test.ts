/**
 * The public ledger in a real browser, against `npm start` after a day played through the SDK: the
 * figures it shows (and the CSV files it downloads) are the chain's, read here straight from the
 * node; drill-down leads from a domain to a period to its records to a transaction, decoded.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { getAbiItem, type Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { webStack, type WebStack } from "./helpers/stack";

const zh = new Intl.NumberFormat("zh-CN");
/** An address as the app shortens it, in lower case. */
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`.toLowerCase();

/** A CSV download: its bytes, and its rows split (the app never quotes these figures). */
async function downloadCsv(page: Page, fileName: string): Promise<{ bytes: Buffer; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`button[data-csv="${fileName}"]`).click()]);
  expect(download.suggestedFilename()).to.equal(fileName);
  const bytes = readFileSync((await download.path())!);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  return { bytes, rows: text.trimEnd().split("\r\n").map((line) => line.split(",")) };
}

describe("web: the public ledger shows the chain", function () {
  this.timeout(240_000);
  let stack: WebStack;
  let page: Page;
  let close: () => Promise<void>;

  type Log = { args: Record<string, any>; blockNumber: bigint; transactionHash: Hex };
  async function logs(name: "PointsIssued" | "PointsExchanged" | "PointsRedeemed"): Promise<Log[]> {
    const event = getAbiItem({ abi: pointsLedgerAbi, name }) as never;
    return (await stack.chain.getLogs({ address: stack.deployment.ledger, event, fromBlock: BigInt(stack.deployment.deployBlock) })) as unknown as Log[];
  }
  async function periodOf(blockNumber: bigint): Promise<number> {
    const block = await stack.chain.getBlock({ blockNumber });
    return Math.floor((Number(block.timestamp) - stack.deployment.genesisTime) / stack.deployment.periodSeconds);
  }
  const read = <T>(functionName: string, args: unknown[]) =>
    stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: functionName as never, args: args as never }) as Promise<T>;

  before(async () => {
    stack = await webStack();
    const opened = await stack.newPage();
    page = opened.page;
    close = () => opened.context.close();
    await page.goto(`${stack.url}/ledger${stack.periodsUpToDay}`);
    await page.getByRole("heading", { level: 1, name: "公开账本" }).waitFor();
    await page.locator("table").first().waitFor();
  });
  after(async () => close?.());

  it("shows each domain's supply as the contract has it, in the table and in its CSV file (UTF-8 with BOM, Chinese headers)", async () => {
    const { bytes, rows } = await downloadCsv(page, (await page.locator('button[data-csv^="supply-periods-"]').getAttribute("data-csv"))!);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(rows[0]).to.deep.equal(["期", "志愿者积分", "交通积分", "文化消费积分", "环保积分"]);
    const now = rows[1]; // newest first: the period after the day's, and nothing has changed since
    for (let id = 1; id <= 4; id++) {
      const { supply } = await read<{ supply: bigint }>("domain", [id]);
      expect(now[id], `domain ${id}`).to.equal(supply.toString());
    }
    const table = page.locator("table", { has: page.locator("caption", { hasText: "各种积分的总量" }) });
    const firstRow = table.locator("tbody tr").first();
    const { supply: volunteer } = await read<{ supply: bigint }>("domain", [1]);
    expect((await firstRow.locator("td").nth(1).innerText()).trim()).to.equal(zh.format(volunteer));
  });

  it("shows issuance per agency and period as the chain's PointsIssued events add up, with each quota", async () => {
    const fileName = (await page.locator('button[data-csv^="issuance-periods-"]').getAttribute("data-csv"))!;
    const { rows } = await downloadCsv(page, fileName);
    expect(rows[0]).to.deep.equal(["期", "积分种类", "发放机构", "发放", "每期限额", "已用限额"]);
    const expected = new Map<string, bigint>();
    for (const log of await logs("PointsIssued")) {
      const key = `${log.args.period}:${log.args.issuer!.toLowerCase()}`;
      expected.set(key, (expected.get(key) ?? 0n) + log.args.amount!);
    }
    const shown = new Map(rows.slice(1).map((r) => [`${r[0]}:${r[2]}`, BigInt(r[3])]));
    expect(shown).to.deep.equal(expected);
    for (const r of rows.slice(1)) {
      const state = await read<{ quota: bigint }>("issuerState", [Number(stack.deployment.domains.find((d) => d.issuers.some((i) => i.toLowerCase() === r[2]))!.id), r[2]]);
      expect(r[4]).to.equal(state.quota.toString());
    }
  });

  it("shows exchanges per agreement and redemptions per domain as the chain's events add up", async () => {
    const exchanges = (await downloadCsv(page, (await page.locator('button[data-csv^="exchanges-periods-"]').getAttribute("data-csv"))!)).rows;
    const exchanged = await logs("PointsExchanged");
    expect(exchanges.slice(1)).to.deep.equal(
      exchanged.map((l) => [String(l.args.period), "志愿者积分 换 交通积分", "1", l.args.amountIn!.toString(), l.args.amountOut!.toString()]),
    );
    const redemptions = (await downloadCsv(page, (await page.locator('button[data-csv^="redemptions-periods-"]').getAttribute("data-csv"))!)).rows;
    // The day's redemption; other test files (the partners' checkout) pay other partners, in later periods.
    const redeemed = (await logs("PointsRedeemed")).filter((l) => (l.args as { partner?: string }).partner?.toLowerCase() === stack.day.partner.toLowerCase());
    expect(redeemed).to.have.length(1);
    const period = await periodOf(redeemed[0].blockNumber!);
    const row = redemptions.find((r) => r[0] === String(period))!;
    expect(row.slice(1)).to.deep.equal(["0", redeemed[0].args.amount!.toString(), "0", "0"]);
  });

  it("lists the agreement in force with its rate and cap as the contract has them", async () => {
    const { rows } = await downloadCsv(page, "agreements-in-force.csv");
    const a = await read<{ current: { rateNum: bigint; rateDen: bigint; periodCap: bigint } }>("agreement", [BigInt(stack.day.agreementId)]);
    expect(rows.slice(1).map((r) => r.slice(0, 3))).to.deep.equal([["志愿者积分 换 交通积分", `${a.current.rateNum}/${a.current.rateDen}`, a.current.periodCap.toString()]]);
    expect(await page.locator("#agreements").getByText("2 个换 1 个").first().isVisible()).to.equal(true);
  });

  it("shows the settled period's positions, published and confirmed, as the contract has them", async () => {
    const { period } = stack.day;
    await page.getByRole("link", { name: `第 ${period} 期` }).first().click();
    await page.getByRole("heading", { level: 1, name: `第 ${period} 期结算` }).waitFor();
    await page.getByText("全部确认").first().waitFor();
    const { rows } = await downloadCsv(page, `settlement-period-${period}.csv`);
    expect(rows[0]).to.deep.equal(["积分种类", "按兑换计算", "结账时公布", "已确认付款", "付款凭证（加密摘要）"]);
    for (const [domainId, name] of [[1, "志愿者积分"], [2, "交通积分"]] as const) {
      const p = await read<{ net: bigint; confirmed: boolean; paymentRef: Hex }>("settlementPosition", [period, domainId]);
      expect(rows.find((r) => r[0] === name)).to.deep.equal([name, p.net.toString(), p.net.toString(), "是", p.paymentRef]);
    }
    expect(await page.getByText("净额合计：0（总是 0）").isVisible()).to.equal(true);
  });

  it("drills down from a domain to a period to its records to a transaction, decoded", async () => {
    const { period, redeemTx, bob, partner } = stack.day;
    await page.goto(`${stack.url}/ledger${stack.periodsUpToDay}`);
    await page.locator("#domains").getByRole("link", { name: "交通积分" }).click();
    await page.getByRole("heading", { level: 1, name: "交通积分" }).waitFor();
    await page.getByRole("link", { name: `第 ${period} 期` }).click();
    await page.getByRole("heading", { level: 1, name: `交通积分：第 ${period} 期` }).waitFor();
    const partners = (await downloadCsv(page, `domain-2-period-${period}-partners.csv`)).rows;
    expect(partners[1]).to.deep.equal([partner.toLowerCase(), "1", "30"]);
    const events = (await downloadCsv(page, `domain-2-period-${period}-events.csv`)).rows;
    const redemption = events.find((r) => r.at(-1) === redeemTx)!;
    expect(redemption[1]).to.equal("使用积分");
    const row = page.locator("tbody tr", { hasText: "使用积分" });
    await row.getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "交易" }).waitFor();
    expect(new URL(page.url()).pathname).to.equal(`/ledger/tx/${redeemTx}`);
    const receipt = await stack.chain.getTransactionReceipt({ hash: redeemTx });
    const text = await page.locator("main").innerText();
    expect(text).to.include("成功");
    expect(text).to.include("使用积分");
    expect(text).to.include(zh.format(receipt.blockNumber));
    // Events carry addresses in lower case, calls in their checksummed form: compare without case.
    expect(text.toLowerCase()).to.include(`${short(bob)} 在 ${short(partner)} 使用 30 个交通积分`);
    expect(await page.getByRole("img", { name: "用手机扫码，打开这笔交易" }).isVisible()).to.equal(true);
  });

  it("decodes the resident's exchange: the call, its intent, and what it gave", async () => {
    const { exchangeTx, alice } = stack.day;
    await page.goto(`${stack.url}/ledger/tx/${exchangeTx}`);
    await page.getByText("兑换积分").first().waitFor();
    const text = await page.locator("main").innerText();
    const [log] = (await logs("PointsExchanged")).filter((l) => l.transactionHash === exchangeTx);
    expect(text.toLowerCase()).to.include(`${short(alice)} 用 ${zh.format(log.args.amountIn!)} 志愿者积分 换得 ${zh.format(log.args.amountOut!)} 交通积分`);
    expect(text).to.match(/minAmountOut\s+150/);
    expect(text).to.include(`第 ${stack.day.period} 期`);
  });

  it("says clearly when a transaction is not the ledger's, and when a page does not exist", async () => {
    await page.goto(`${stack.url}/ledger/tx/0x${"ab".repeat(32)}`);
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("alert").innerText()).to.include("没有找到这项内容。");
    await page.goto(`${stack.url}/ledger/no-such-page`);
    await page.getByRole("heading", { level: 1, name: "没有这个页面" }).waitFor();
  });
});
