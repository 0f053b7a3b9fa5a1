/**
 * Gas benchmark of the ledger's hot paths beside OpenZeppelin ERC1155 baselines, measured in the
 * same run on the in-process Hardhat network (Osaka), and of passkey accounts: there with the
 * P256VERIFY precompile, and on an anvil child process on Cancun with the Solidity fallback.
 * Prints a table and writes bench/results/gas.json.
 *   npm run bench:gas
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ethers } from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { claimIdForRecordNumber, claimIdForRecordRef } from "../../sdk/src/claims";
import { deployLedger, DOMAIN } from "../lib/ledgerFixture";
import { exchangeIntent, redeemIntent, signIntent } from "../lib/ledgerIntents";
import { measurePasskeyGas, measurePasskeyGasWithoutPrecompile } from "./passkeyGas";

const BATCH = 100;
const TARGETS = { issueSingleRatio: 1.4, issueBatchRatio: 1.2, exchangeRatio: 1.6, passkeyExchangeRatio: 2 };

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("benchmark transaction failed");
  return receipt.gasUsed;
}

function freshAddresses(n: number): string[] {
  return Array.from({ length: n }, () => ethers.Wallet.createRandom().address);
}

async function main(): Promise<void> {
  const setup = await deployLedger();
  const { ledger, agencies, residents, partner } = setup;
  const issuer = ledger.connect(agencies[0]);
  const baseline = await ethers.deployContract("ERC1155Baseline");

  // ── Baselines (OpenZeppelin ERC1155)
  const [warmHolder] = freshAddresses(1);
  await baseline.mint(warmHolder, 1, 1); // the contract's first write is not what we measure
  const baseMintNew = await gasOf(baseline.mint(freshAddresses(1)[0], 1, 5));
  const baseBatchPerItem = (await gasOf(baseline.mintMany(freshAddresses(BATCH), 1, 5))) / BigInt(BATCH);
  const holder = await residents[0].getAddress();
  await baseline.mint(holder, 1, 1000);
  await baseline.mint(holder, 2, 1000);
  const baseBurnMint = await gasOf(baseline.burnAndMint(holder, 1, 2, 10));

  // ── Issuance, with the claim ids the README recommends: claimIdForRecordNumber over the agency's
  // record sequence, so 256 consecutive records share one bitmap word (bits 8..255 a salted hash,
  // bits 0..7 the record number's low byte). The first record of each 256 pays a fresh slot.
  const salt = ethers.id("bench-gas-claim-salt") as `0x${string}`;
  let record = 0n;
  const nextClaim = () => claimIdForRecordNumber(salt, record++);
  await issuer.issue(DOMAIN.volunteer, freshAddresses(1)[0], 5, nextClaim());
  const issueSingleNew = await gasOf(issuer.issue(DOMAIN.volunteer, freshAddresses(1)[0], 5, nextClaim()));
  // A reference-string claim id (claimIdForRecordRef) opens a fresh word every time.
  const issueSingleNewFreshClaimWord = await gasOf(issuer.issue(DOMAIN.volunteer, freshAddresses(1)[0], 5, claimIdForRecordRef(salt, "shift-2024-1042")));
  const repeatResident = freshAddresses(1)[0];
  await issuer.issue(DOMAIN.volunteer, repeatResident, 5, nextClaim());
  const issueSingleExisting = await gasOf(issuer.issue(DOMAIN.volunteer, repeatResident, 5, nextClaim()));

  // A batch starts a fresh word, as an agency's next batch of records would (records 256..355).
  record = 256n;
  const items = freshAddresses(BATCH).map((resident) => ({ resident, amount: 5, claimId: nextClaim() }));
  const issueBatchPerItem = (await gasOf(issuer.issueBatch(DOMAIN.volunteer, items))) / BigInt(BATCH);
  const refItems = freshAddresses(BATCH).map((resident, i) => ({ resident, amount: 5, claimId: claimIdForRecordRef(salt, `batch-ref-${i}`) }));
  const issueBatchPerItemRecordRefs = (await gasOf(issuer.issueBatch(DOMAIN.volunteer, refItems))) / BigInt(BATCH);

  // ── Exchange: a resident holding both domains, as the baseline's holder does.
  const resident = residents[0];
  const [from, to] = [DOMAIN.volunteer, DOMAIN.transport];
  await issuer.issue(from, holder, 10_000, nextClaim());
  await ledger.connect(agencies[1]).issue(to, holder, 10, 1);
  await ledger.connect(agencies[0]).proposeAgreement(from, to, 1, 2, 0, 0, 2 ** 32 - 1);
  const agreementId = await ledger.agreementIdOf(from, to);
  await ledger.connect(agencies[1]).approveAgreement(agreementId, 1);
  const exchangeOnce = async () => {
    const intent = await exchangeIntent(ledger, resident, { fromDomain: from, toDomain: to, amountIn: 10n });
    const sig = await signIntent(resident, ledger, "ExchangeIntent", intent);
    return gasOf(ledger.exchange(intent, sig.v, sig.r, sig.s));
  };
  const exchangeFirst = await exchangeOnce(); // first of the agreement's period: a fresh usage slot
  const exchange = await exchangeOnce();

  // ── Passkey accounts: the same agreement, after the ECDSA exchanges warmed its usage slot.
  const { chainId } = await ethers.provider.getNetwork();
  const passkey = await measurePasskeyGas({
    ledger: ledger as never,
    passkeys: setup.passkeys as never,
    chainId,
    fromDomain: from,
    toDomain: to,
    fromAgency: agencies[0],
    toAgency: agencies[1],
    claimIds: [nextClaim(), 2n],
  });
  const passkeyFallback = await measurePasskeyGasWithoutPrecompile();

  // ── Redemption and settlement
  await ledger.connect(agencies[0]).setPartner(from, await partner.getAddress(), true);
  const redeemMsg = await redeemIntent(ledger, resident, { domainId: from, amount: 10n, partner: await partner.getAddress() });
  const redeemSig = await signIntent(resident, ledger, "RedeemIntent", redeemMsg);
  const redeem = await gasOf(ledger.redeem(redeemMsg, redeemSig.v, redeemSig.r, redeemSig.s));

  await ethers.provider.send("evm_increaseTime", [setup.periodSeconds]);
  await ethers.provider.send("evm_mine", []);
  const period = (await ledger.currentPeriod()) - 1n;
  const closeGas = await gasOf(ledger.closePeriod(period));
  const positions = 2n; // volunteer owes transport
  const settleClose = closeGas / positions;
  const settleConfirm = await gasOf(ledger.connect(agencies[0]).confirmSettlement(period, from, ethers.id("payment-1")));

  const results = {
    measuredAt: new Date().toISOString(),
    network: "hardhat (in-process, hardfork osaka), solc 0.8.28, optimizer 10000 runs, via-IR, evm target cancun; passkeyExchangeFallback on anvil --hardfork cancun",
    baselines: { erc1155MintNew: Number(baseMintNew), erc1155BatchPerItem: Number(baseBatchPerItem), erc1155BurnMint: Number(baseBurnMint) },
    issueSingleNew: Number(issueSingleNew),
    issueSingleRatio: ratio(issueSingleNew, baseMintNew),
    issueSingleNewFreshClaimWord: Number(issueSingleNewFreshClaimWord),
    issueSingleFreshClaimWordRatio: ratio(issueSingleNewFreshClaimWord, baseMintNew),
    issueSingleExisting: Number(issueSingleExisting),
    issueBatchSize: BATCH,
    issueBatchPerItem: Number(issueBatchPerItem),
    issueBatchRatio: ratio(issueBatchPerItem, baseBatchPerItem),
    issueBatchPerItemRecordRefs: Number(issueBatchPerItemRecordRefs),
    claimIds: "claimIdForRecordNumber (salted word, record number's low byte), as the README recommends; *FreshClaimWord and *RecordRefs: claimIdForRecordRef",
    exchange: Number(exchange),
    exchangeRatio: ratio(exchange, baseBurnMint),
    exchangeFirstInPeriod: Number(exchangeFirst),
    passkeyRegister: Number(passkey.register),
    passkeyExchange: Number(passkey.exchange),
    passkeyExchangeRatio: ratio(passkey.exchange, exchange),
    passkeyExchangeFallback: Number(passkeyFallback.exchange),
    redeem: Number(redeem),
    settleClose: Number(settleClose),
    settleClosePositions: Number(positions),
    settleConfirm: Number(settleConfirm),
    targets: TARGETS,
  };

  const rows: [string, bigint | number, string][] = [
    ["issue, new resident (record-number claim id)", issueSingleNew, `${results.issueSingleRatio} x ERC1155 mint new (${baseMintNew}); target <= ${TARGETS.issueSingleRatio}`],
    ["issue, new resident, record-ref claim id", issueSingleNewFreshClaimWord, `${results.issueSingleFreshClaimWordRatio} x ERC1155 mint new`],
    ["issue, existing resident", issueSingleExisting, ""],
    [`issueBatch per item (n=${BATCH}, new residents)`, issueBatchPerItem, `${results.issueBatchRatio} x ERC1155 loop mint (${baseBatchPerItem}); target <= ${TARGETS.issueBatchRatio}`],
    [`issueBatch per item, record-ref claim ids`, issueBatchPerItemRecordRefs, `${ratio(issueBatchPerItemRecordRefs, baseBatchPerItem)} x ERC1155 loop mint`],
    ["exchange (signature included)", exchange, `${results.exchangeRatio} x ERC1155 burn+mint (${baseBurnMint}); target <= ${TARGETS.exchangeRatio}`],
    ["exchange, first of agreement's period", exchangeFirst, ""],
    ["passkey: register first credential", passkey.register, ""],
    ["passkey: exchange (P256VERIFY precompile)", passkey.exchange, `${results.passkeyExchangeRatio} x ECDSA exchange; target <= ${TARGETS.passkeyExchangeRatio}`],
    ["passkey: exchange (Solidity P256, no precompile)", passkeyFallback.exchange, "anvil on Cancun"],
    ["redeem", redeem, ""],
    ["closePeriod per agency position", settleClose, `${closeGas} for ${positions} positions`],
    ["confirmSettlement", settleConfirm, ""],
  ];
  console.log("\nGas, whole transaction (21,000 base included)\n");
  for (const [name, gas, note] of rows) console.log(`${name.padEnd(50)} ${String(gas).padStart(8)}  ${note}`);

  const failed = Object.entries(TARGETS).filter(([k, t]) => (results as Record<string, unknown>)[k] as number > t);
  const out = join(__dirname, "..", "..", "bench", "results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "gas.json"), JSON.stringify(results, null, 2) + "\n");
  console.log(`\nwrote bench/results/gas.json${failed.length ? `; over target: ${failed.map(([k]) => k).join(", ")}` : "; all ratios within target"}`);
  if (failed.length) process.exitCode = 1;
}

function ratio(a: bigint, b: bigint): number {
  return Math.round((Number(a) / Number(b)) * 1000) / 1000;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
