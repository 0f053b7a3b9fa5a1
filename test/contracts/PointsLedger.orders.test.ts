import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";
import type { Hex } from "viem";
import { cityLedgerWithAgreement } from "../helpers/fixtures";
import { DOMAIN } from "../helpers/deploy";
import { redeemIntent, signIntent } from "../helpers/intents";
import { FAR_DEADLINE, newPasskey, registerPasskey, signedIntent, type TestPasskey } from "../helpers/passkeys";
import type { IntentMessages } from "../../sdk/src/eip712";
import type { PointsLedger } from "../../typechain-types";

const ORDER = ethers.id("salted order 17") as Hex;
const NO_ORDER = ethers.ZeroHash as Hex;

/**
 * Two partners of the volunteer domain (`partner` also of transport), an ECDSA resident and a
 * passkey account, each holding 1,000 volunteer and 10 transport points.
 */
async function twoPartners() {
  const setup = await cityLedgerWithAgreement();
  const { ledger, passkeys, agencies, residents, partner, stranger } = setup;
  const phone = await newPasskey();
  const account = await registerPasskey(passkeys, phone);
  for (const [claimId, holder] of [await residents[0].getAddress(), account].entries()) {
    await ledger.connect(agencies[0]).issue(DOMAIN.volunteer, holder, 1_000, claimId + 1);
    await ledger.connect(agencies[1]).issue(DOMAIN.transport, holder, 10, claimId + 1);
  }
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await partner.getAddress(), true);
  await ledger.connect(agencies[0]).setPartner(DOMAIN.volunteer, await stranger.getAddress(), true);
  await ledger.connect(agencies[1]).setPartner(DOMAIN.transport, await partner.getAddress(), true);
  return { ...setup, resident: residents[0], phone, account };
}

type Paths = {
  name: string;
  /** Redeems `amount` at `partner` with `orderRef`, as the path's resident, at their next nonce. */
  redeem(setup: Awaited<ReturnType<typeof twoPartners>>, fields: { partner: Signer; orderRef: Hex; domainId?: number }): Promise<unknown>;
  holder(setup: Awaited<ReturnType<typeof twoPartners>>): Promise<string>;
};

async function passkeyRedeem(ledger: PointsLedger, phone: TestPasskey, account: string, fields: { partner: Signer; orderRef: Hex; domainId?: number }) {
  const domainId = fields.domainId ?? DOMAIN.volunteer;
  const intent: IntentMessages["RedeemIntent"] = {
    resident: account as Hex,
    domainId,
    amount: 5n,
    partner: (await fields.partner.getAddress()) as Hex,
    orderRef: fields.orderRef,
    nonce: await ledger.nonces(account, domainId),
    deadline: FAR_DEADLINE,
  };
  return ledger.redeemByPasskey(intent, (await signedIntent(ledger, phone, "RedeemIntent", intent)).encoded);
}

const paths: Paths[] = [
  {
    name: "ECDSA (redeem)",
    async redeem({ ledger, resident }, fields) {
      const domainId = fields.domainId ?? DOMAIN.volunteer;
      const intent = await redeemIntent(ledger, resident, { domainId, amount: 5n, partner: await fields.partner.getAddress(), orderRef: fields.orderRef });
      const sig = await signIntent(resident, ledger, "RedeemIntent", intent);
      return ledger.redeem(intent, sig.v, sig.r, sig.s);
    },
    holder: ({ resident }) => resident.getAddress(),
  },
  {
    name: "passkey (redeemByPasskey)",
    redeem: ({ ledger, phone, account }, fields) => passkeyRedeem(ledger, phone, account, fields),
    holder: async ({ account }) => account,
  },
];

describe("PointsLedger orders paid once", function () {
  for (const path of paths) {
    describe(path.name, function () {
      it("refuses an order reference already paid to the same partner, in any domain, and burns nothing", async function () {
        const setup = await loadFixture(twoPartners);
        const { ledger, partner } = setup;
        const holder = await path.holder(setup);
        await expect(path.redeem(setup, { partner, orderRef: ORDER }))
          .to.emit(ledger, "PointsRedeemed")
          .withArgs(DOMAIN.volunteer, holder, await partner.getAddress(), 5, ORDER, 0);
        await expect(path.redeem(setup, { partner, orderRef: ORDER }))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerOrderAlreadyPaid")
          .withArgs(await partner.getAddress(), ORDER);
        await expect(path.redeem(setup, { partner, orderRef: ORDER, domainId: DOMAIN.transport }))
          .to.be.revertedWithCustomError(ledger, "PointsLedgerOrderAlreadyPaid")
          .withArgs(await partner.getAddress(), ORDER);
        expect(await ledger.balanceOf(holder, DOMAIN.volunteer)).to.equal(995);
        expect(await ledger.balanceOf(holder, DOMAIN.transport)).to.equal(10);
        expect(await ledger.nonces(holder, DOMAIN.volunteer)).to.equal(1);
      });

      it("lets another partner be paid for the same order reference", async function () {
        const setup = await loadFixture(twoPartners);
        const { ledger, partner, stranger } = setup;
        const holder = await path.holder(setup);
        await (await (path.redeem(setup, { partner, orderRef: ORDER }) as Promise<{ wait(): Promise<unknown> }>)).wait();
        await expect(path.redeem(setup, { partner: stranger, orderRef: ORDER }))
          .to.emit(ledger, "PointsRedeemed")
          .withArgs(DOMAIN.volunteer, holder, await stranger.getAddress(), 5, ORDER, 1);
        expect(await ledger.balanceOf(holder, DOMAIN.volunteer)).to.equal(990);
      });

      it("does not track the zero reference: a partner may be paid twice without one", async function () {
        const setup = await loadFixture(twoPartners);
        const { ledger, partner } = setup;
        const holder = await path.holder(setup);
        for (const nonce of [0, 1]) {
          await expect(path.redeem(setup, { partner, orderRef: NO_ORDER }))
            .to.emit(ledger, "PointsRedeemed")
            .withArgs(DOMAIN.volunteer, holder, await partner.getAddress(), 5, NO_ORDER, nonce);
        }
        expect(await ledger.balanceOf(holder, DOMAIN.volunteer)).to.equal(990);
      });
    });
  }

  it("keeps one record for both paths: an order paid by passkey is refused by ECDSA", async function () {
    const setup = await loadFixture(twoPartners);
    const { ledger, partner } = setup;
    await (await passkeyRedeem(setup.ledger, setup.phone, setup.account, { partner, orderRef: ORDER })).wait();
    await expect(paths[0].redeem(setup, { partner, orderRef: ORDER }))
      .to.be.revertedWithCustomError(ledger, "PointsLedgerOrderAlreadyPaid")
      .withArgs(await partner.getAddress(), ORDER);
  });
});
