import { expect } from "chai";
import { ethers } from "hardhat";
import type { Hex } from "viem";
import { referenceHash } from "../../sdk/src/claims";
import type { ExchangeIntent, RedeemIntent } from "../../sdk/src/eip712";
import { intentDigest, type PasskeyAssertion } from "../../sdk/src/resident/passkeys";
import { intentToWire } from "../../sdk/src/wire/intents";
import { assertionOf, newPasskey, type TestPasskey } from "../helpers/passkeys";
import { FAR_DEADLINE, publicRequest, randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

const SALT = `0x${"22".repeat(32)}` as const;

describe("relay: passkey accounts (registration, passkey-authorised exchanges and redemptions)", function () {
  let fx: RelayFixture;
  let phone: TestPasskey;
  let account: Hex;
  const partner = randomAddress();

  async function confirmed(res: { status: number; body: { operation: { id: string } } }) {
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
    return op;
  }
  const register = (p: { publicKey: { x: Hex; y: Hex }; credentialId: string }, key = `r-${Math.random()}`) =>
    publicRequest(fx).post("/v1/resident/passkeys").set("Idempotency-Key", key).send({ publicKey: p.publicKey, credentialId: p.credentialId });
  const exchange = (fields: Partial<ExchangeIntent> = {}): ExchangeIntent => ({ resident: account, fromDomain: 1, toDomain: 2, amountIn: 100n, minAmountOut: 0n, nonce: 0n, deadline: FAR_DEADLINE, ...fields });
  const digestOf = (intent: ExchangeIntent) => intentDigest("ExchangeIntent", intent, { chainId: fx.deployment.chainId, address: fx.deployment.ledger });
  const postExchange = (intent: ExchangeIntent, passkey: PasskeyAssertion, key = `x-${Math.random()}`) =>
    publicRequest(fx).post("/v1/exchanges").set("Idempotency-Key", key).send({ intent: intentToWire(intent), passkey });
  const balance = (domainId: number) => fx.ledger.balanceOf(account, domainId);

  before(async () => {
    fx = await startRelay({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "10000" } });
    phone = await newPasskey();
    account = phone.account.toLowerCase() as Hex;
    await confirmed(await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${partner}`, { allowed: true }));
    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/agreements", { fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, periodCap: "0", validFromPeriod: 0, validUntilPeriod: 1_000_000 }));
    await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${((1n << 32n) | 2n).toString()}/approvals`, { version: 1 }));
  });
  after(async () => fx.stop());

  describe("registration", () => {
    it("registers a credential as the first of its account, and the API shows the account", async () => {
      await confirmed(await register(phone));
      const passkeys = await ethers.getContractAt("PasskeyAccounts", fx.deployment.passkeyAccounts);
      expect(await passkeys.credentialsOf(account)).to.deep.equal([phone.keyId]);
      const res = await publicRequest(fx).get(`/v1/resident/passkeys/${account}`);
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal({ account, credentials: [phone.keyId], changeNonce: "0" });
      await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: account, amount: "1000", claimId: "1" }));
    });

    it("refuses a key registered already (409), a key off the curve and a malformed credential id (400), journaling nothing", async () => {
      const before = await fx.relay.journal.operations.countUnfinished();
      const again = await register(phone);
      expect(again.status).to.equal(409);
      expect(again.body.error).to.deep.include({ code: "conflict", message: "this passkey is already registered" });
      const offCurve = await register({ publicKey: { x: phone.publicKey.x, y: phone.publicKey.x }, credentialId: phone.credentialId });
      expect(offCurve.status).to.equal(400);
      expect(offCurve.body.error.message).to.equal("the public key is not a point of the P-256 curve");
      const badId = await register({ publicKey: (await newPasskey()).publicKey, credentialId: "not base64url!" });
      expect(badId.status).to.equal(400);
      expect(JSON.stringify(badId.body.error.details)).to.include("credentialId");
      expect(await fx.relay.journal.operations.countUnfinished()).to.equal(before);
    });

    it("answers the same registration under the same Idempotency-Key with the same operation", async () => {
      const card = await newPasskey();
      const first = await register(card, "same-key");
      const second = await register(card, "same-key");
      expect(second.status).to.equal(202);
      expect(second.body.operation.id).to.equal(first.body.operation.id);
      await confirmed(first);
    });
  });

  describe("passkey-authorised intents", () => {
    it("exchanges with a passkey assertion instead of a signature, confirmed on chain", async () => {
      const intent = exchange();
      await confirmed(await postExchange(intent, await assertionOf(phone, digestOf(intent))));
      expect(await balance(1)).to.equal(900n);
      expect(await balance(2)).to.equal(50n);
    });

    it("redeems at a partner with a passkey assertion", async () => {
      const intent: RedeemIntent = { resident: account, domainId: 1, amount: 40n, partner: partner.toLowerCase() as Hex, orderRef: referenceHash(SALT, "order-1"), nonce: 1n, deadline: FAR_DEADLINE };
      const passkey = await assertionOf(phone, intentDigest("RedeemIntent", intent, { chainId: fx.deployment.chainId, address: fx.deployment.ledger }));
      await confirmed(await publicRequest(fx).post("/v1/resident/redemptions").set("Idempotency-Key", `r-${Math.random()}`).send({ intent: intentToWire(intent), passkey }));
      expect(await balance(1)).to.equal(860n);
    });

    it("refuses a replayed assertion (the nonce is used: 409)", async () => {
      const intent = exchange({ nonce: 0n });
      const res = await postExchange(intent, await assertionOf(phone, digestOf(intent)));
      expect(res.status).to.equal(409);
      expect(res.body.error.message).to.equal("this intent's nonce was already used");
    });

    for (const [what, build, reason] of [
      ["an assertion made for another intent", async (intent: ExchangeIntent) => assertionOf(phone, digestOf({ ...intent, amountIn: 1n })), "PasskeyAccountsWrongChallenge"],
      ["an altered signature", async (intent: ExchangeIntent) => ({ ...(await assertionOf(phone, digestOf(intent))), r: ("0x" + "11".repeat(32)) as Hex }), "PasskeyAccountsInvalidSignature"],
      ["a high-s signature", async (intent: ExchangeIntent) => {
        const a = await assertionOf(phone, digestOf(intent));
        const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
        return { ...a, s: ("0x" + (n - BigInt(a.s)).toString(16).padStart(64, "0")) as Hex };
      }, "PasskeyAccountsMalleableSignature"],
      ["flags without user verification", async (intent: ExchangeIntent) => {
        const noUv = await newPasskey({ userVerified: false });
        return assertionOf(noUv, digestOf(intent));
      }, "PasskeyAccountsUserNotVerified"],
    ] as const) {
      it(`refuses ${what} with 401 and the registry's reason, journaling nothing`, async () => {
        const intent = exchange({ nonce: 2n });
        const before = await fx.relay.journal.operations.countUnfinished();
        const res = await postExchange(intent, await build(intent));
        expect(res.status, JSON.stringify(res.body)).to.equal(401);
        expect(res.body.error.details).to.deep.equal([{ path: "body.passkey", message: reason }]);
        expect(await fx.relay.journal.operations.countUnfinished()).to.equal(before);
      });
    }

    it("refuses a valid assertion of an unregistered key, and of another account's credential", async () => {
      const intent = exchange({ nonce: 2n });
      const stranger = await newPasskey();
      const unregistered = await postExchange(intent, await assertionOf(stranger, digestOf(intent)));
      expect(unregistered.status).to.equal(401);
      expect(unregistered.body.error.message).to.equal("the passkey is not registered: it cannot sign for intent.resident");
      const other = await newPasskey();
      await confirmed(await register(other));
      const foreign = await postExchange(intent, await assertionOf(other, digestOf(intent)));
      expect(foreign.status).to.equal(401);
      expect(foreign.body.error.message).to.equal("the passkey belongs to another account: it cannot sign for intent.resident");
      // nothing was journaled: the account's next exchange still takes nonce 2
      await confirmed(await postExchange(intent, await assertionOf(phone, digestOf(intent))));
      expect(await fx.ledger.nonces(account, 1)).to.equal(3n);
    });

    it("refuses a request with both a signature and a passkey (400)", async () => {
      const intent = exchange({ nonce: 3n });
      const res = await publicRequest(fx)
        .post("/v1/exchanges")
        .set("Idempotency-Key", `x-${Math.random()}`)
        .send({ intent: intentToWire(intent), signature: "0x" + "00".repeat(65), passkey: await assertionOf(phone, digestOf(intent)) });
      expect(res.status).to.equal(400);
    });
  });

  it("documents the passkey routes and the passkey alternative of the intent requests in /openapi.json", async () => {
    const doc = (await publicRequest(fx).get("/openapi.json")).body;
    expect(Object.keys(doc.paths)).to.include.members(["/v1/resident/passkeys", "/v1/resident/passkeys/{address}"]);
    const schemas = doc.components.schemas;
    expect(schemas.PasskeyRegistrationRequest.required).to.deep.equal(["publicKey", "credentialId"]);
    expect(schemas.PasskeyAssertion.required).to.deep.equal(["publicKey", "authenticatorData", "clientDataJSON", "challengeIndex", "typeIndex", "r", "s"]);
    const alternatives = JSON.stringify(schemas.ExchangeRequest);
    expect(alternatives).to.include('"signature"').and.to.include('"passkey"');
    expect(schemas.ExchangeRequest.anyOf ?? schemas.ExchangeRequest.oneOf).to.have.length(2);
  });

  describe("a recovery proposed for the account", () => {
    it("is shown by GET /v1/resident/passkeys/:address with its proposer and when it takes effect", async () => {
      const [, memberA, memberB] = await ethers.getSigners();
      const passkeys = await ethers.getContractAt("PasskeyAccounts", fx.deployment.passkeyAccounts);
      const council = await ethers.getContractAt("CityCouncil", fx.deployment.council);
      const replacement = await newPasskey();
      const data = passkeys.interface.encodeFunctionData("proposeRecovery", [account, replacement.publicKey.x, replacement.publicKey.y, replacement.rawId]);
      await (await council.connect(memberA).propose(fx.deployment.passkeyAccounts, data, ethers.ZeroHash)).wait();
      const id = await council.proposalCount();
      await (await council.connect(memberB).approve(id)).wait();
      await (await council.connect(memberA).execute(id)).wait();
      const block = await ethers.provider.getBlock("latest");
      const res = await publicRequest(fx).get(`/v1/resident/passkeys/${account}`);
      expect(res.status).to.equal(200);
      expect(res.body.recovery).to.deep.equal({
        keyId: replacement.keyId,
        publicKey: replacement.publicKey,
        proposer: fx.deployment.council.toLowerCase(),
        readyAt: block!.timestamp + fx.deployment.recoveryDelaySeconds,
      });
    });
  });
});
