import { expect } from "chai";
import { ethers, network } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { createPublicClient, createWalletClient, custom, parseSignature, serializeSignature, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildExchangeIntent, buildRedeemIntent, buildTransferIntent, intentTypedData } from "../../sdk/src/resident/intents";
import { signIntent } from "../../sdk/src/resident/sign";
import { recoverIntentSigner, verifyIntent } from "../../sdk/src/resident/verify";
import { quoteExchange } from "../../sdk/src/resident/quote";
import { getNextNonce } from "../../sdk/src/resident/nonces";
import { ContractRevertError } from "../../sdk/src/errors/contract";
import { InvalidIntentError, InvalidSignatureError, UnsupportedSignerError } from "../../sdk/src/errors/intent";
import { CityPointsError } from "../../sdk/src/errors/base";
import { deployLedger, DOMAIN } from "../helpers/deploy";

/** Other tests move the chain's clock forward; intents sent to the ledger here must outlive that. */
const FAR_FUTURE = 1n << 40n;
const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("resident apps: intents", function () {
  async function residentSetup() {
    const setup = await deployLedger();
    const key = generatePrivateKey();
    const account = privateKeyToAccount(key);
    const { chainId } = await ethers.provider.getNetwork();
    const ledgerInfo = { chainId, address: (await setup.ledger.getAddress()) as Address };
    await setup.ledger.connect(setup.agencies[0]).issue(DOMAIN.volunteer, account.address, 1_000, 1);
    await setup.ledger.connect(setup.agencies[0]).proposeAgreement(DOMAIN.volunteer, DOMAIN.transport, 3, 7, 1_000, 0, 10_000);
    await setup.ledger.connect(setup.agencies[1]).approveAgreement(await setup.ledger.agreementIdOf(DOMAIN.volunteer, DOMAIN.transport), 1);
    const publicClient = createPublicClient({ transport: custom(network.provider as never) });
    return { setup, key, account, ledgerInfo, publicClient };
  }

  describe("building", function () {
    it("normalises decimal strings and addresses, and fills a deadline", function () {
      const resident = ethers.Wallet.createRandom().address.toLowerCase();
      const intent = buildExchangeIntent({ resident, fromDomain: 1, toDomain: "2" as never, amountIn: "120", minAmountOut: 51, nonce: 0 });
      expect(intent).to.deep.include({ resident: ethers.getAddress(resident), fromDomain: 1, toDomain: 2, amountIn: 120n, minAmountOut: 51n, nonce: 0n });
      const now = BigInt(Math.floor(Date.now() / 1000));
      expect(intent.deadline > now + 800n && intent.deadline <= now + 900n).to.equal(true);
    });

    it("rejects what the ledger would reject, naming each field", function () {
      const resident = ethers.Wallet.createRandom().address;
      const attempt = () => buildExchangeIntent({ resident, fromDomain: 2, toDomain: 2, amountIn: 0n, minAmountOut: 0n, nonce: 0n });
      expect(attempt).to.throw(InvalidIntentError);
      try {
        attempt();
      } catch (error) {
        const e = error as InvalidIntentError;
        expect([e.name, e.code]).to.deep.equal(["InvalidIntentError", "INVALID_INTENT"]);
        expect(e.details.problems).to.deep.equal(["amountIn: must be between 1 and 18446744073709551615", "toDomain: fromDomain and toDomain must differ"]);
      }
      expect(() => buildRedeemIntent({ resident, domainId: 1, amount: 2n ** 64n, partner: resident, orderRef: "0x1234", nonce: 0n })).to.throw(
        /amount: must be between 1 and 18446744073709551615; orderRef: must be a 0x-prefixed 32-byte hex value/,
      );
      expect(() => buildTransferIntent({ resident, domainId: 3, to: resident, amount: 5n, nonce: 0n })).to.throw(/cannot transfer to themselves/);
    });
  });

  describe("signing", function () {
    it("gives the same signature from a viem account, a viem wallet client and an ethers Wallet", async function () {
      const { key, account, ledgerInfo } = await loadFixture(residentSetup);
      const intent = buildRedeemIntent({ resident: account.address, domainId: 1, amount: 5n, partner: account.address, orderRef: ethers.id("o"), nonce: 0n, deadline: 1n << 40n });
      const wallet = createWalletClient({ account, transport: custom(network.provider as never) });
      const fromAccount = await signIntent(account, "RedeemIntent", intent, ledgerInfo);
      const fromWallet = await signIntent(wallet, "RedeemIntent", intent, ledgerInfo);
      const fromEthers = await signIntent(new ethers.Wallet(key), "RedeemIntent", intent, ledgerInfo);
      expect(fromWallet.signature).to.equal(fromAccount.signature);
      expect(fromEthers.signature).to.equal(fromAccount.signature);
      expect(await recoverIntentSigner("RedeemIntent", intent, fromEthers.signature, ledgerInfo)).to.equal(account.address);
    });

    it("produces signatures the ledger accepts", async function () {
      const { setup, key, account, ledgerInfo, publicClient } = await loadFixture(residentSetup);
      const nonce = await getNextNonce(publicClient, { ledger: ledgerInfo.address, resident: account.address, domainId: DOMAIN.volunteer });
      const intent = buildExchangeIntent({ resident: account.address, fromDomain: 1, toDomain: 2, amountIn: 70n, minAmountOut: 30n, nonce, deadline: FAR_FUTURE });
      const signed = await signIntent(new ethers.Wallet(key), "ExchangeIntent", intent, ledgerInfo);
      await setup.ledger.exchange(intent, signed.v, signed.r, signed.s);
      expect(await setup.ledger.balanceOf(account.address, DOMAIN.transport)).to.equal(30n);
      expect(await getNextNonce(publicClient, { ledger: ledgerInfo.address, resident: account.address, domainId: DOMAIN.volunteer })).to.equal(1n);
    });

    it("refuses an object that cannot sign typed data", async function () {
      const { ledgerInfo, account } = await loadFixture(residentSetup);
      const intent = buildTransferIntent({ resident: account.address, domainId: 3, to: ethers.Wallet.createRandom().address, amount: 1n, nonce: 0n });
      const error = await signIntent({} as never, "TransferIntent", intent, ledgerInfo).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(UnsupportedSignerError);
      expect((error as UnsupportedSignerError).code).to.equal("UNSUPPORTED_SIGNER");
      const noAccount = createWalletClient({ transport: custom(network.provider as never) });
      await signIntent(noAccount, "TransferIntent", intent, ledgerInfo).then(
        () => expect.fail("signed without an account"),
        (e: unknown) => expect((e as Error).message).to.match(/no account/),
      );
    });
  });

  describe("verifying", function () {
    async function signed() {
      const s = await residentSetup();
      const intent = buildRedeemIntent({ resident: s.account.address, domainId: 1, amount: 5n, partner: s.account.address, orderRef: ethers.id("o"), nonce: 0n });
      return { ...s, intent, sig: await signIntent(s.account, "RedeemIntent", intent, s.ledgerInfo) };
    }

    it("accepts the resident's own signature and nothing altered", async function () {
      const { intent, sig, ledgerInfo } = await loadFixture(signed);
      expect(await verifyIntent("RedeemIntent", intent, sig.signature, ledgerInfo)).to.equal(true);
      expect(await verifyIntent("RedeemIntent", { ...intent, amount: 6n }, sig.signature, ledgerInfo)).to.equal(false);
      expect(await verifyIntent("RedeemIntent", intent, sig.signature, { ...ledgerInfo, chainId: 1 })).to.equal(false);
      const other = await signIntent(privateKeyToAccount(generatePrivateKey()), "RedeemIntent", intent, ledgerInfo);
      expect(await verifyIntent("RedeemIntent", intent, other.signature, ledgerInfo)).to.equal(false);
    });

    it("rejects the malleable twin of a valid signature, as the ledger does", async function () {
      const { intent, sig, ledgerInfo } = await loadFixture(signed);
      const { r, s, yParity } = parseSignature(sig.signature);
      const twin = serializeSignature({ r, s: ("0x" + (CURVE_ORDER - BigInt(s)).toString(16).padStart(64, "0")) as Hex, yParity: 1 - yParity });
      const error = await recoverIntentSigner("RedeemIntent", intent, twin, ledgerInfo).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidSignatureError);
      expect(error).to.be.instanceOf(CityPointsError);
      expect((error as InvalidSignatureError).code).to.equal("INVALID_SIGNATURE");
      expect(await verifyIntent("RedeemIntent", intent, twin, ledgerInfo)).to.equal(false);
    });

    it("hashes the same typed data as the contract's domain separator", async function () {
      const { setup, ledgerInfo, intent } = await loadFixture(signed);
      const typed = intentTypedData("RedeemIntent", intent, ledgerInfo);
      expect(ethers.TypedDataEncoder.hashDomain(typed.domain)).to.equal(await setup.ledger.DOMAIN_SEPARATOR());
    });
  });

  describe("quoting an exchange", function () {
    it("gives the rate, amount out and what the floor rounding leaves behind", async function () {
      const { ledgerInfo, publicClient } = await loadFixture(residentSetup);
      const quote = await quoteExchange(publicClient, { ledger: ledgerInfo.address, fromDomain: 1, toDomain: 2, amountIn: 11n });
      expect(quote).to.deep.include({
        rateNum: 3n,
        rateDen: 7n,
        amountOut: 4n, // floor(33 / 7)
        smallestAmountIn: 10n, // ceil(4 × 7 / 3)
        leftover: 1n,
        amountInForNextPoint: 12n, // ceil(5 × 7 / 3)
        remainingCap: 1_000n,
        version: 1,
      });
      expect(quote.agreementId).to.equal((1n << 32n) | 2n);
    });

    it("agrees with what the ledger then does, and tracks the cap", async function () {
      const { setup, account, ledgerInfo, publicClient } = await loadFixture(residentSetup);
      const quote = await quoteExchange(publicClient, { ledger: ledgerInfo.address, fromDomain: 1, toDomain: 2, amountIn: 100n });
      const intent = buildExchangeIntent({ resident: account.address, fromDomain: 1, toDomain: 2, amountIn: quote.smallestAmountIn, minAmountOut: quote.amountOut, nonce: 0n, deadline: FAR_FUTURE });
      const signed = await signIntent(account, "ExchangeIntent", intent, ledgerInfo);
      await setup.ledger.exchange(intent, signed.v, signed.r, signed.s);
      expect(await setup.ledger.balanceOf(account.address, DOMAIN.transport)).to.equal(quote.amountOut);
      const after = await quoteExchange(publicClient, { ledger: ledgerInfo.address, fromDomain: 1, toDomain: 2, amountIn: 1n });
      expect([after.amountOut, after.leftover, after.remainingCap]).to.deep.equal([0n, 1n, 1_000n - quote.smallestAmountIn]);
    });

    it("throws the ledger's decoded error when no agreement is in force", async function () {
      const { ledgerInfo, publicClient } = await loadFixture(residentSetup);
      const error = await quoteExchange(publicClient, { ledger: ledgerInfo.address, fromDomain: 2, toDomain: 1, amountIn: 10n }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(ContractRevertError);
      const revert = error as ContractRevertError;
      expect([revert.errorName, revert.code, revert.revert?.namedArgs]).to.deep.equal(["PointsLedgerNoAgreement", "CONTRACT_REVERT", { fromDomain: 2, toDomain: 1 }]);
    });
  });
});
