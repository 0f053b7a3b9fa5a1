import { expect } from "chai";
import { ethers } from "hardhat";
import type { Hex } from "viem";
import type { RedeemIntent } from "../../sdk/src/eip712";
import { encodePasskeyAssertion, intentDigest } from "../../sdk/src/resident/passkeys";
import { enrolmentHash, stationStampDigest, type AssistedKind } from "../../sdk/src/stations/stamp";
import { intentToWire } from "../../sdk/src/wire/intents";
import type { CommunityStations } from "../../typechain-types";
import { assertionOf, newPasskey, registerPasskey, type TestPasskey } from "../helpers/passkeys";
import { FAR_DEADLINE, publicRequest, randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

describe("relay: community stations (assisted enrolments and redemptions, station reads)", function () {
  let fx: RelayFixture;
  let stations: CommunityStations;
  let staff: TestPasskey;
  let card: TestPasskey;
  const partner = randomAddress();

  /** Today as the chain counts it. */
  const today = async () => (await stations.station(1)).day;
  async function stampOf(signer: TestPasskey, stationId: number, kind: AssistedKind, operation: Hex) {
    const digest = stationStampDigest({ stationId, kind, operation, day: await today() }, { chainId: fx.deployment.chainId, address: fx.deployment.communityStations! });
    return { account: staff.account, passkey: await assertionOf(signer, digest) };
  }
  const redemption = (fields: Partial<RedeemIntent> = {}): RedeemIntent => ({ resident: card.account, domainId: 1, amount: 30n, partner, orderRef: ethers.id(`order-${Math.random()}`) as Hex, nonce: 0n, deadline: FAR_DEADLINE, ...fields });
  async function postRedemption(stationId: number, intent: RedeemIntent, options: { stampSigner?: TestPasskey; staffAccount?: Hex } = {}) {
    const digest = intentDigest("RedeemIntent", intent, { chainId: fx.deployment.chainId, address: fx.deployment.ledger });
    const stamp = await stampOf(options.stampSigner ?? staff, stationId, "redemption", digest);
    if (options.staffAccount) stamp.account = options.staffAccount;
    return publicRequest(fx).post(`/v1/stations/${stationId}/redemptions`).set("Idempotency-Key", `r-${Math.random()}`).send({ intent: intentToWire(intent), passkey: await assertionOf(card, digest), staff: stamp });
  }
  async function confirmed(res: { status: number; body: { operation: { id: string } } }) {
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const op = await waitFinal(fx, res.body.operation.id);
    expect(op.status, JSON.stringify(op)).to.equal("confirmed");
    return op;
  }

  before(async () => {
    fx = await startRelay({ env: { PUBLIC_RATE_LIMIT_PER_MINUTE: "10000" } });
    // The relay fixture's deployer (the first signer) is the stations' registrar.
    stations = await ethers.getContractAt("CommunityStations", fx.deployment.communityStations!);
    await (await stations.addStation("市民驿站 · 东门", 3)).wait();
    staff = await newPasskey();
    await registerPasskey(await ethers.getContractAt("PasskeyAccounts", fx.deployment.passkeyAccounts), staff);
    await (await stations.setStaff(1, staff.account, true)).wait();
    await (await stations.addStation("市民驿站 · 西门", 5)).wait();
    card = await newPasskey({ origin: "https://points.city.test" });
    await confirmed(await signed(fx, fx.agencies[0], "PUT", `/v1/partners/${partner}`, { allowed: true }));
    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/agreements", { fromDomain: 1, toDomain: 2, rateNum: 1, rateDen: 2, periodCap: "0", validFromPeriod: 0, validUntilPeriod: 1_000_000 }));
    await confirmed(await signed(fx, fx.agencies[1], "POST", `/v1/agreements/${((1n << 32n) | 2n).toString()}/approvals`, { version: 1 }));
  });
  after(async () => fx.stop());

  it("documents the station routes in /openapi.json", async () => {
    const res = await publicRequest(fx).get("/openapi.json");
    expect(res.status).to.equal(200);
    const paths = res.body.paths;
    for (const p of ["/v1/stations/{id}", "/v1/stations/{id}/staff/{account}"]) expect(paths[p]?.get, p).to.not.equal(undefined);
    for (const p of ["/v1/stations/{id}/redemptions", "/v1/stations/{id}/exchanges", "/v1/stations/{id}/enrolments"]) expect(paths[p]?.post, p).to.not.equal(undefined);
    const ref: string = paths["/v1/stations/{id}/redemptions"].post.requestBody.content["application/json"].schema.$ref;
    expect(Object.keys(res.body.components.schemas[ref.replace("#/components/schemas/", "")].properties)).to.deep.equal(["intent", "passkey", "staff"]);
  });

  it("answers a station and whether an account is its staff, from the chain", async () => {
    const res = await publicRequest(fx).get("/v1/stations/1");
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ id: 1, contract: fx.deployment.communityStations!.toLowerCase(), name: "市民驿站 · 东门", dailyLimit: 3, active: true, day: Number(await today()), countToday: 0 });
    const yes = await publicRequest(fx).get(`/v1/stations/1/staff/${staff.account}`);
    expect(yes.body).to.deep.equal({ stationId: 1, account: staff.account.toLowerCase(), staff: true });
    const no = await publicRequest(fx).get(`/v1/stations/2/staff/${staff.account}`);
    expect(no.body.staff).to.equal(false);
    const missing = await publicRequest(fx).get("/v1/stations/9");
    expect(missing.status).to.equal(404);
    expect(missing.body.error.message).to.equal("there is no station 9");
    expect((await publicRequest(fx).get("/v1/stations/zero")).status).to.equal(400);
  });

  it("enrols a new card stamped by staff, then redeems for its resident with the card's assertion; both counted on chain", async () => {
    const credentialId = ethers.hexlify(Buffer.from(card.credentialId, "base64url")) as Hex;
    const stamp = await stampOf(staff, 1, "enrolment", enrolmentHash(card.publicKey, credentialId));
    await confirmed(await publicRequest(fx).post("/v1/stations/1/enrolments").set("Idempotency-Key", "enrol-1").send({ publicKey: card.publicKey, credentialId: card.credentialId, staff: stamp }));
    const passkeys = await ethers.getContractAt("PasskeyAccounts", fx.deployment.passkeyAccounts);
    expect(await passkeys.credentialsOf(card.account)).to.deep.equal([card.keyId]);

    await confirmed(await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: card.account.toLowerCase(), amount: "100", claimId: "1" }));
    await confirmed(await postRedemption(1, redemption()));
    expect(await fx.ledger.balanceOf(card.account, 1)).to.equal(70n);
    expect((await publicRequest(fx).get("/v1/stations/1")).body.countToday).to.equal(2);
  });

  it("refuses, journaling nothing: another station's staff (403), a stamp by another key (401), a closed station (409), an unknown one (404)", async () => {
    const before = await fx.relay.journal.operations.countUnfinished();
    const notStaff = await postRedemption(2, redemption({ nonce: 1n }));
    expect(notStaff.status).to.equal(403);
    expect(notStaff.body.error.message).to.equal(`${staff.account.toLowerCase()} is not staff of station 2`);

    const forged = await postRedemption(1, redemption({ nonce: 1n }), { stampSigner: card });
    expect(forged.status).to.equal(401);
    expect(forged.body.error.message).to.equal("the staff stamp is not signed by an active credential of staff.account");

    await (await stations.setStationActive(2, false)).wait();
    await (await stations.setStaff(2, staff.account, true)).wait();
    const closed = await postRedemption(2, redemption({ nonce: 1n }));
    expect(closed.status).to.equal(409);
    expect(closed.body.error.message).to.equal("station 2 is closed");

    const unknown = await postRedemption(9, redemption({ nonce: 1n }));
    expect(unknown.status).to.equal(404);
    expect(await fx.relay.journal.operations.countUnfinished()).to.equal(before);
    expect(await fx.ledger.balanceOf(card.account, 1)).to.equal(70n);
  });

  it("refuses past the station's daily limit with 409, moving nothing", async () => {
    await confirmed(await postRedemption(1, redemption({ nonce: 1n })));
    const refused = await postRedemption(1, redemption({ nonce: 2n }));
    expect(refused.status).to.equal(409);
    expect(refused.body.error.message).to.equal("station 1 has reached its limit of 3 assisted operations today");
    expect(refused.body.error.details).to.deep.include({ stationId: 1, dailyLimit: 3, countToday: 3 });

    expect(await fx.ledger.balanceOf(card.account, 1)).to.equal(40n);
    await (await stations.setStationLimit(1, 4)).wait();
    await confirmed(await postRedemption(1, redemption({ nonce: 2n })));
    expect(await fx.ledger.balanceOf(card.account, 1)).to.equal(10n);
  });

  it("exchanges for a resident at the station with the card's assertion and the staff stamp", async () => {
    await (await stations.setStationActive(2, true)).wait();
    const intent = { resident: card.account, fromDomain: 1, toDomain: 2, amountIn: 10n, minAmountOut: 0n, nonce: 3n, deadline: FAR_DEADLINE };
    const digest = intentDigest("ExchangeIntent", intent, { chainId: fx.deployment.chainId, address: fx.deployment.ledger });
    const staffStamp = await stampOf(staff, 2, "exchange", digest);
    const res = await publicRequest(fx).post("/v1/stations/2/exchanges").set("Idempotency-Key", "x-1").send({ intent: intentToWire(intent), passkey: await assertionOf(card, digest), staff: staffStamp });
    await confirmed(res);
    expect(await fx.ledger.balanceOf(card.account, 2)).to.equal(5n);
    expect((await publicRequest(fx).get("/v1/stations/2")).body.countToday).to.equal(1);
  });
});
