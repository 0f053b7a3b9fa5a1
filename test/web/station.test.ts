/**
 * Community station mode (/station) in a real browser with two virtual authenticators on one
 * terminal: the staff member's own passkey (internal transport, made by the wallet's sign-up and
 * appointed staff by the stations' registrar) and a resident's FIDO2 card (a roaming authenticator,
 * usb transport). The card is enrolled through the page with the staff's stamp; points are issued
 * to it through the SDK; a partner's request (SDK paymentRequestLink) is paid with the card's
 * signature and the staff's stamp, and the chain holds PointsRedeemed and StationAssisted in the
 * same transaction; the station's daily limit, once reached, is refused on the page in plain
 * words; the resident is signed out after inactivity (with a countdown) and on "finish", and no
 * browser storage holds their account or credential id; the SDK audit lists the station's
 * operations under the station and its staff member.
 */
import { expect } from "chai";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createWalletClient, http, parseEventLogs, type Address, type Hex } from "viem";
import { audit } from "../../sdk/src/auditor/audit";
import { communityStationsAbi } from "../../sdk/src/abi";
import { claimIdForRecordRef, passkeyAccountsAbi, pointsLedgerAbi, referenceHash } from "../../sdk/src";
import { paymentRequestLink, type PaymentRequest } from "../../sdk/src/resident/paymentRequest";
import { READABLE, readability, SCREENSHOTS } from "./helpers/pageChecks";
import { keptByBrowser, mentions, NOTHING_KEPT, onlyPreferences, residentPage, type ResidentPage } from "./helpers/residents";
import { PHONE, webStack, type WebStack } from "./helpers/stack";

const SALT = `0x${"57".repeat(32)}` as Hex;
const STATION_NAME = "市民驿站 · 测试";
/** Enrolment and one payment fill the day. */
const DAILY_LIMIT = 2;
const IDLE_SECONDS = 20;

const CARD = { protocol: "ctap2", transport: "usb", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } as const;

describe("web: community station mode (/station)", function () {
  this.timeout(400_000);
  let stack: WebStack;
  let terminal: ResidentPage;
  let cardAuthenticator: string | undefined;
  let stationId: number;
  let staff: Address;
  let resident: Address;
  let paidTx: Hex;

  const stations = () => stack.deployment.communityStations as Address;
  const request = (order: string, amount = 30n): PaymentRequest => ({
    partner: stack.day.partner,
    domainId: 2,
    amount,
    orderRef: referenceHash(SALT, order),
    expiresAt: Math.floor(Date.now() / 1000) + 600,
  });
  const page = () => terminal.page;
  const stationRead = (functionName: "station") => stack.chain.readContract({ address: stations(), abi: communityStationsAbi, functionName, args: [stationId] });

  /** The stations' registrar (npm start's deployer, its key sealed in the data folder) writes through anvil's impersonation. */
  async function asRegistrar(write: (w: ReturnType<typeof createWalletClient>, account: Address) => Promise<Hex>) {
    const registrar = await stack.chain.readContract({ address: stations(), abi: communityStationsAbi, functionName: "registrar" });
    await stack.chain.request({ method: "anvil_impersonateAccount" as never, params: [registrar] as never });
    await stack.chain.request({ method: "anvil_setBalance" as never, params: [registrar, "0x56bc75e2d63100000"] as never });
    const wallet = createWalletClient({ transport: http(stack.rpcUrl) });
    const receipt = await stack.chain.waitForTransactionReceipt({ hash: await write(wallet, registrar) });
    expect(receipt.status).to.equal("success");
  }

  /**
   * Lets only one authenticator answer, as at a real terminal where only the card at the reader
   * (or the staff's key) is touched: with several, the first touched ends the ceremony.
   */
  async function touch(who: "card" | "staff") {
    for (const [id, name] of [[terminal.authenticatorId, "staff"], [cardAuthenticator, "card"]] as const) {
      if (id) await terminal.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: id, enabled: name === who });
    }
  }

  /** Pastes a payment link into the resident's desk and confirms it: the card signs, then the staff stamps. */
  async function pay(r: PaymentRequest) {
    await page().getByLabel("付款链接").fill(paymentRequestLink(terminal.origin, r));
    await page().getByRole("button", { name: "打开" }).click();
    await page().getByTestId("station-pay-amount").waitFor();
    await touch("card");
    await page().getByRole("button", { name: "确认付款" }).click();
    await page().getByRole("button", { name: "工作人员确认" }).waitFor({ timeout: 60_000 });
    await touch("staff");
    await page().getByRole("button", { name: "工作人员确认" }).click();
  }

  before(async () => {
    stack = await webStack("residents");
    mkdirSync(SCREENSHOTS, { recursive: true });
    terminal = await residentPage(stack);
    // The staff member's passkey account: made on this terminal's own authenticator by the wallet's sign-up.
    await page().goto(`${terminal.origin}/wallet`);
    await page().getByRole("button", { name: "第一次使用：开户" }).click();
    await page().locator(".wallet-bar").waitFor({ timeout: 90_000 });
    staff = (await page().locator(".wallet-bar .hex").getAttribute("title")) as Address;

    await asRegistrar((w, account) => w.writeContract({ address: stations(), abi: communityStationsAbi, functionName: "addStation", args: [STATION_NAME, DAILY_LIMIT], account, chain: null }));
    stationId = await stack.chain.readContract({ address: stations(), abi: communityStationsAbi, functionName: "stationCount" });
    await asRegistrar((w, account) => w.writeContract({ address: stations(), abi: communityStationsAbi, functionName: "setStaff", args: [stationId, staff, true], account, chain: null }));
  });
  after(async () => {
    await terminal?.close();
  });

  it("signs staff in with their own passkey, checks they are staff here, and shows the station's name, today's count and limit", async () => {
    await page().goto(`${terminal.origin}/station?id=${stationId}&idle=${IDLE_SECONDS}`);
    await page().getByTestId("station-facts").waitFor();
    expect(await page().getByTestId("station-facts").innerText()).to.include(STATION_NAME);
    expect(await page().getByTestId("station-today").innerText()).to.equal(`0 笔，每天最多 ${DAILY_LIMIT} 笔`);
    await page().getByRole("button", { name: "工作人员登录" }).click();
    await page().getByTestId("station-staff").waitFor({ timeout: 60_000 });
    expect(await page().getByTestId("station-staff").locator(".hex").getAttribute("title")).to.equal(staff);
    await page().getByRole("heading", { name: "请居民刷卡" }).waitFor();
    expect(await readability(page())).to.deep.equal(READABLE);
  });

  it("refuses a passkey account that is not staff of the station, in plain words", async () => {
    const other = await residentPage(stack, { viewport: PHONE });
    try {
      // The staff member's passkey on another terminal, at a station where they are not appointed.
      const { credentials } = await terminal.cdp.send("WebAuthn.getCredentials", { authenticatorId: terminal.authenticatorId });
      for (const credential of credentials) await other.cdp.send("WebAuthn.addCredential", { authenticatorId: other.authenticatorId, credential });
      await asRegistrar((w, account) => w.writeContract({ address: stations(), abi: communityStationsAbi, functionName: "addStation", args: ["市民驿站 · 另一个", 5], account, chain: null }));
      await other.page.goto(`${other.origin}/station?id=${stationId + 1}`);
      await other.page.getByRole("button", { name: "工作人员登录" }).click();
      await other.page.getByTestId("station-refusal").waitFor({ timeout: 60_000 });
      expect(await other.page.getByTestId("station-refusal").innerText()).to.equal("这个通行密钥不是本驿站的工作人员，不能办理。");
      expect(await other.page.getByTestId("station-staff").count()).to.equal(0);
      expect(await readability(other.page)).to.deep.equal(READABLE);
      await other.page.screenshot({ path: join(SCREENSHOTS, "station-zh-CN-phone.png") });
    } finally {
      await other.close();
    }
  });

  it("enrols a resident's new card through the page, stamped by the staff member: the chain registers it and counts it at the station", async () => {
    ({ authenticatorId: cardAuthenticator } = await terminal.cdp.send("WebAuthn.addVirtualAuthenticator", { options: CARD }));
    await touch("card");
    await page().getByRole("button", { name: "第一次来：办一张新卡" }).click();
    await page().getByRole("button", { name: "工作人员确认" }).waitFor({ timeout: 60_000 });
    expect(await readability(page())).to.deep.equal(READABLE);
    await touch("staff");
    await page().getByRole("button", { name: "工作人员确认" }).click();
    await page().locator(".station-resident, [data-testid=station-refusal]").first().waitFor({ timeout: 90_000 });
    expect(await page().getByTestId("station-refusal").count(), await page().locator("main").innerText()).to.equal(0);
    resident = (await page().locator(".station-resident .signed-in .hex").getAttribute("title")) as Address;
    const { credentials } = await terminal.cdp.send("WebAuthn.getCredentials", { authenticatorId: cardAuthenticator! });
    expect(credentials).to.have.length(1);
    const credentialsOf = await stack.chain.readContract({ address: stack.deployment.passkeyAccounts as Address, abi: passkeyAccountsAbi, functionName: "credentialsOf", args: [resident] });
    expect(credentialsOf).to.have.length(1);
    expect((await stationRead("station")).countToday).to.equal(1);
    await page().getByTestId("station-today").filter({ hasText: "1 笔" }).waitFor();
  });

  it("pays a partner's request for the resident: card first, staff stamp second; PointsRedeemed and StationAssisted in one transaction", async () => {
    const { transport } = stack.clients;
    const op = await transport.waitForOperation((await transport.issuePoints({ resident, amount: 100n, claimId: claimIdForRecordRef(SALT, "station-1") })).id, { timeoutMs: 60_000 });
    expect(op.status).to.equal("confirmed");
    await page().getByRole("button", { name: "刷新余额" }).click();
    await page().locator(".balances").getByText("100 分").waitFor({ timeout: 30_000 });

    const paid = request("station-order-1");
    await page().getByLabel("付款链接").fill(paymentRequestLink(terminal.origin, paid));
    await page().getByRole("button", { name: "打开" }).click();
    await page().getByTestId("station-pay-amount").waitFor();
    expect(await readability(page())).to.deep.equal(READABLE);
    await page().screenshot({ path: join(SCREENSHOTS, "station-zh-CN-desktop.png"), fullPage: true });
    await touch("card");
    await page().getByRole("button", { name: "确认付款" }).click();
    await page().getByRole("button", { name: "工作人员确认" }).waitFor({ timeout: 60_000 });
    // The card has signed; nothing is submitted before the staff's stamp.
    expect(await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "nonces", args: [resident, 2] })).to.equal(0n);
    await touch("staff");
    await page().getByRole("button", { name: "工作人员确认" }).click();
    const done = page().getByTestId("station-paid");
    await done.waitFor({ timeout: 90_000 });
    expect(await done.innerText()).to.include("已付款 30 分。");
    paidTx = (await done.getByRole("link").getAttribute("href"))!.replace("/ledger/tx/", "") as Hex;

    const { logs } = await stack.chain.getTransactionReceipt({ hash: paidTx });
    const [redeemed] = parseEventLogs({ abi: pointsLedgerAbi, eventName: "PointsRedeemed", logs });
    expect(redeemed.args).to.deep.include({ domainId: 2, resident, partner: stack.day.partner, amount: 30n, orderRef: paid.orderRef });
    const [assisted] = parseEventLogs({ abi: communityStationsAbi, eventName: "StationAssisted", logs });
    expect(assisted.address.toLowerCase()).to.equal(stations().toLowerCase());
    expect(assisted.args).to.deep.include({ stationId, staff, resident, kind: 2, countToday: 2 });
    expect(await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [resident, 2n] })).to.equal(70n);
  });

  it("refuses a payment past the station's daily limit in plain words, moving nothing", async () => {
    await page().getByRole("button", { name: "换一笔付款" }).click();
    await pay(request("station-order-2", 10n));
    await page().getByTestId("station-refusal").waitFor({ timeout: 90_000 });
    expect(await page().getByTestId("station-refusal").innerText()).to.equal("本驿站今天的代办笔数已到上限，今天不能再办理。请居民明天再来，或用自己的手机办理。");
    expect(await stack.chain.readContract({ address: stack.deployment.ledger, abi: pointsLedgerAbi, functionName: "balanceOf", args: [resident, 2n] })).to.equal(70n);
    expect((await stationRead("station")).countToday).to.equal(DAILY_LIMIT);
    await page().getByTestId("station-today").filter({ hasText: `${DAILY_LIMIT} 笔` }).waitFor();
  });

  it("signs the resident out after inactivity, with a countdown first; the staff stays; nothing of the resident is kept", async () => {
    const countdown = page().getByTestId("station-countdown");
    await countdown.waitFor({ timeout: IDLE_SECONDS * 1000 });
    expect(await countdown.innerText()).to.match(/^无人操作，\d+ 秒后自动退出居民账户。/);
    await page().getByRole("heading", { name: "请居民刷卡" }).waitFor({ timeout: IDLE_SECONDS * 1000 });
    expect(await page().locator(".station-resident").count()).to.equal(0);
    expect(await page().getByTestId("station-staff").count()).to.equal(1);
    expect(await page().content()).to.not.include(resident.slice(2).toLowerCase());
    expect(await page().content()).to.not.include(resident.slice(2));
    expect(onlyPreferences(await keptByBrowser(terminal))).to.deep.equal(NOTHING_KEPT);
    expect(await mentions(terminal, resident)).to.equal(false);
    const { credentials } = await terminal.cdp.send("WebAuthn.getCredentials", { authenticatorId: cardAuthenticator! });
    const id = credentials[0]!.credentialId;
    const kept = JSON.stringify(await keptByBrowser(terminal));
    for (const form of [id, Buffer.from(id, "base64").toString("base64url"), Buffer.from(id, "base64").toString("hex")]) expect(kept).to.not.include(form);
  });

  it("a tapped card signs the resident in again (recovered from its signature); 'finish' signs them out at once; staff sign out", async () => {
    await touch("card");
    await page().getByRole("button", { name: "居民刷卡" }).click();
    await page().locator(".station-resident").waitFor({ timeout: 60_000 });
    expect(await page().locator(".station-resident .signed-in .hex").getAttribute("title")).to.equal(resident);
    await page().locator(".balances").getByText("70 分").waitFor({ timeout: 30_000 });
    await page().getByRole("button", { name: "办完了，退出" }).click();
    expect(await page().locator(".station-resident").count()).to.equal(0);
    expect(await page().content()).to.not.include(resident.slice(2));
    await page().getByRole("button", { name: "工作人员退出" }).click();
    await page().getByRole("button", { name: "工作人员登录" }).waitFor();
    expect(await page().getByTestId("station-staff").count()).to.equal(0);
  });

  it("the SDK audit of the chain lists the enrolment and the payment under the station and its staff member", async () => {
    const report = await audit({ rpcUrl: stack.rpcUrl, deployment: stack.deployment });
    const station = report.stations?.list.find((s) => s.id === stationId);
    expect(station, JSON.stringify(report.stations)).to.not.equal(undefined);
    expect(station).to.deep.include({ name: STATION_NAME, dailyLimit: DAILY_LIMIT, assisted: 2, byKind: { enrolment: 1, exchange: 0, redemption: 1 }, staff: [staff.toLowerCase()] });
    expect(station!.byStaff).to.deep.equal([{ staff: staff.toLowerCase(), count: 2 }]);
    expect(report.violations.filter((v) => v.code?.startsWith("STATION_"))).to.deep.equal([]);
  });
});
