import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Hex } from "viem";
import { audit } from "../../sdk/src/auditor/audit";
import type { AuditEvent, CredentialAdded, PasskeyAssertionVerified, PointsExchanged } from "../../sdk/src/auditor/events";
import { formatAuditSummary, type AuditReport } from "../../sdk/src/auditor/report";
import { cityLedgerWithAgreement } from "../helpers/fixtures";
import { DOMAIN, RECOVERY_DELAY } from "../helpers/deploy";
import { addCredential, FAR_DEADLINE, newPasskey, registerPasskey, revokeCredential, signedIntent } from "../helpers/passkeys";
import { deploymentOf, hardhatTransport } from "./helpers/chain";
import { chainEvents, forgedAfter } from "./helpers/events";

const codes = (report: AuditReport) => report.violations.map((v) => v.code).sort();

/**
 * A passkey account's life: registered with a phone, an exchange signed by it, a card added, the
 * phone revoked, then a redemption and a transfer signed by the card.
 */
async function passkeyHistory() {
  const setup = await cityLedgerWithAgreement();
  const { ledger, passkeys, agencies, partner, residents } = setup;
  const phone = await newPasskey();
  const card = await newPasskey();
  const account = await registerPasskey(passkeys, phone);
  await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, account, 1_000, 1);
  await ledger.connect(agencies[2]).issue(DOMAIN.culture, account, 50, 1);
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true);

  const exchange = { resident: account as Hex, fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn: 100n, minAmountOut: 40n, nonce: 0n, deadline: FAR_DEADLINE };
  await (await ledger.exchangeByPasskey(exchange, (await signedIntent(ledger, phone, "ExchangeIntent", exchange)).encoded)).wait();
  await (await addCredential(passkeys, account, phone, card)).wait();
  await (await revokeCredential(passkeys, account, card, phone.keyId)).wait();
  const redeem = { resident: account as Hex, domainId: DOMAIN.volunteer, amount: 40n, partner: (await partner.getAddress()) as Hex, orderRef: ethers.id("order") as Hex, nonce: 1n, deadline: FAR_DEADLINE };
  await (await ledger.redeemByPasskey(redeem, (await signedIntent(ledger, card, "RedeemIntent", redeem)).encoded)).wait();
  const transfer = { resident: account as Hex, domainId: DOMAIN.culture, to: (await residents[1].getAddress()) as Hex, amount: 20n, nonce: 0n, deadline: FAR_DEADLINE };
  await (await ledger.transferByPasskey(transfer, (await signedIntent(ledger, card, "TransferIntent", transfer)).encoded)).wait();

  const deployment = await deploymentOf(setup);
  return { setup, deployment, events: await chainEvents(deployment), account: account.toLowerCase() as Hex, phone, card };
}

describe("audit of passkey accounts", function () {
  it("rebuilds the account's credentials, verifies every P-256 signature again and finds nothing wrong", async function () {
    const { deployment, account } = await loadFixture(passkeyHistory);
    const report = await audit({ transport: hardhatTransport(), deployment });
    expect(report.violations).to.deep.equal([]);
    expect(report.ok).to.equal(true);
    // exchange, add, revoke, redemption, transfer: five assertions, three of them for intents
    expect(report.passkeys).to.deep.equal({ accounts: 1, credentials: 2, assertionsVerified: 5, intentsAuthorised: 3 });
    expect(report.events.byName.PasskeyAssertionVerified).to.equal(5);
    expect(report.intents).to.deep.equal({ exchanges: 1, redemptions: 1, transfers: 1 });
    // I2 and I4 for the passkey account: its balances and nonces were read back and matched
    expect(report.balanceReads.accounts).to.be.greaterThanOrEqual(3);
    expect(report.domains.find((d) => d.id === DOMAIN.transport)!.chainSupply).to.equal("40");
    expect(formatAuditSummary(report)).to.include("1 passkey accounts, 2 credentials; 5 passkey signatures verified again, 3 intents authorised by them.");
    expect(account).to.match(/^0x[0-9a-f]{40}$/);
  });

  it("follows a recovery (the proposed key reserved, every credential revoked, the new one signing) and finds nothing wrong", async function () {
    const { setup, deployment, account } = await loadFixture(passkeyHistory);
    const { ledger, passkeys } = setup;
    const replacement = await newPasskey();
    await (await setup.asCouncilOnPasskeys("proposeRecovery", [account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId])).wait();
    await time.increase(RECOVERY_DELAY);
    await (await passkeys.executeRecovery(account)).wait();
    const exchange = { resident: account, fromDomain: DOMAIN.volunteer, toDomain: DOMAIN.transport, amountIn: 10n, minAmountOut: 4n, nonce: 2n, deadline: FAR_DEADLINE };
    await (await ledger.exchangeByPasskey(exchange, (await signedIntent(ledger, replacement, "ExchangeIntent", exchange)).encoded)).wait();
    const report = await audit({ transport: hardhatTransport(), deployment });
    expect(report.violations).to.deep.equal([]);
    expect(report.passkeys).to.deep.equal({ accounts: 1, credentials: 3, assertionsVerified: 6, intentsAuthorised: 4 });
    expect(report.events.byName).to.include({ RecoveryProposed: 1, RecoveryExecuted: 1 });
  });

  it("reports a passkey account's intent that comes without an assertion (as an ECDSA-signed one would)", async function () {
    const { deployment, events, account } = await loadFixture(passkeyHistory);
    const exchange = events.find((e): e is PointsExchanged => e.name === "PointsExchanged")!;
    const withoutAssertion = events.filter((e) => !(e.name === "PasskeyAssertionVerified" && e.transactionHash === exchange.transactionHash));
    const report = await audit({ transport: hardhatTransport(), deployment, events: withoutAssertion });
    expect(codes(report)).to.deep.equal(["PASSKEY_INTENT_UNAUTHORISED"]);
    expect(report.violations[0]).to.include({ invariant: "RULE", transactionHash: exchange.transactionHash });
    expect(report.violations[0].details).to.deep.equal({ resident: account });
  });

  for (const [what, change] of [
    ["an altered signature", (a: PasskeyAssertionVerified["args"]) => ({ r: ("0x" + (BigInt(a.r) ^ 1n).toString(16).padStart(64, "0")) as Hex })],
    ["altered authenticator data (the counter)", (a: PasskeyAssertionVerified["args"]) => ({ authenticatorData: (a.authenticatorData.slice(0, -2) + "ff") as Hex })],
    ["another digest than the client data's challenge", () => ({ digest: ethers.id("another intent") as Hex })],
  ] as const) {
    it(`reports an accepted assertion with ${what}: the P-256 check fails`, async function () {
      const { deployment, events } = await loadFixture(passkeyHistory);
      const altered = events.map((e) => (e.name === "PasskeyAssertionVerified" && e === events.find((x) => x.name === "PasskeyAssertionVerified") ? { ...e, args: { ...e.args, ...change(e.args) } } : e)) as AuditEvent[];
      const report = await audit({ transport: hardhatTransport(), deployment, events: altered });
      expect(codes(report)).to.deep.equal(["PASSKEY_SIGNATURE_INVALID"]);
      expect(report.violations[0].details.reason).to.match(/^PasskeyAccounts(InvalidSignature|WrongChallenge)$/);
    });
  }

  it("reports an assertion accepted from a revoked credential", async function () {
    const { deployment, events, phone } = await loadFixture(passkeyHistory);
    const phoneAssertion = events.find((e): e is PasskeyAssertionVerified => e.name === "PasskeyAssertionVerified" && e.args.keyId === phone.keyId)!;
    const report = await audit({ transport: hardhatTransport(), deployment, events: [...events, forgedAfter(events, phoneAssertion)] });
    expect(codes(report)).to.deep.equal(["PASSKEY_CREDENTIAL_NOT_ACTIVE"]);
    expect(report.violations[0].details.keyId).to.equal(phone.keyId);
  });

  it("reports a credential added without an assertion of the credential it names, and a registration into an existing account", async function () {
    const { deployment, events, card } = await loadFixture(passkeyHistory);
    const added = events.find((e): e is CredentialAdded => e.name === "CredentialAdded" && e.args.keyId === card.keyId)!;
    const keyOf = async () => {
      const p = await newPasskey();
      return { keyId: p.keyId, qx: p.publicKey.x, qy: p.publicKey.y };
    };
    // "added by the card" in a transaction where the card signed nothing
    const unsigned = forgedAfter(events, added, { ...(await keyOf()), authorisedBy: card.keyId });
    // a registration (no authorising credential) whose key does not give this account
    const registeredInto = { ...forgedAfter(events, added, { ...(await keyOf()), authorisedBy: ethers.ZeroHash as Hex }), logIndex: 1 };
    const report = await audit({ transport: hardhatTransport(), deployment, events: [...events, unsigned, registeredInto] });
    expect(codes(report)).to.deep.equal(["PASSKEY_ACCOUNT_MISMATCH", "PASSKEY_CHANGE_UNAUTHORISED"]);
  });
});
