/** How each kind of operation becomes a ledger call: function, arguments, and a gas limit. */
import { encodeFunctionData, type Address, type Hex } from "viem";
import { communityStationsAbi, passkeyAccountsAbi, pointsLedgerAbi } from "../../sdk/src/abi";
import { encodePasskeyAssertion } from "../../sdk/src/resident/passkeys/assertion";
import type { ExchangeIntent, RedeemIntent } from "../../sdk/src/eip712";
import { splitSignature } from "../../sdk/src/resident/sign";
import { intentFromWire } from "../../sdk/src/wire/intents";
import type { OperationKind } from "../../sdk/src/wire/operations";
import { issuePayload, type SinglePayload } from "../payloads";
import { encodeIssueBatch } from "./issueBatchData";
import { BATCH_BASE_GAS, BATCH_ITEM_GAS, MAX_BATCH_ITEMS_PER_TX, MAX_TRANSACTION_GAS } from "./gasCap";
import type { OperationRecord } from "../store/journal";

/** Gas per batch: a fixed part plus a generous share per item, never above the Osaka cap per transaction (gasCap.ts). */
export function batchGasLimit(items: number): bigint {
  if (items > MAX_BATCH_ITEMS_PER_TX) throw new Error(`a batch of ${items} issuances may need more than ${MAX_TRANSACTION_GAS} gas, the cap per transaction; send at most ${MAX_BATCH_ITEMS_PER_TX}`);
  return BATCH_BASE_GAS + BATCH_ITEM_GAS * BigInt(items);
}

export function issueBatchData(domainId: number, ops: OperationRecord[]): Hex {
  const items = ops.map((op) => {
    const { resident, amount } = issuePayload(op);
    return { resident, amount: BigInt(amount), claimId: BigInt(op.claimId!) };
  });
  return encodeIssueBatch(domainId, items);
}

/** Calldata of a single-operation transaction (everything but issuance, which is batched). */
export function singleCallData(op: SinglePayload): Hex {
  switch (op.kind) {
    case "exchange": {
      const intent = intentFromWire<ExchangeIntent>(op.payload.intent);
      if (op.payload.passkey) return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "exchangeByPasskey", args: [intent, encodePasskeyAssertion(op.payload.passkey)] });
      const { v, r, s } = splitSignature(op.payload.signature);
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "exchange", args: [intent, v, r, s] });
    }
    case "redeem": {
      const intent = intentFromWire<RedeemIntent>(op.payload.intent);
      if (op.payload.passkey) return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "redeemByPasskey", args: [intent, encodePasskeyAssertion(op.payload.passkey)] });
      const { v, r, s } = splitSignature(op.payload.signature);
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "redeem", args: [intent, v, r, s] });
    }
    case "passkey.register":
      return encodeFunctionData({ abi: passkeyAccountsAbi, functionName: "register", args: [op.payload.qx, op.payload.qy, op.payload.credentialId] });
    case "station.redeem": {
      const { intent, passkey, station } = op.payload;
      return encodeFunctionData({
        abi: communityStationsAbi,
        functionName: "redeemAssisted",
        args: [station.stationId, intentFromWire<RedeemIntent>(intent), encodePasskeyAssertion(passkey), station.staff, encodePasskeyAssertion(station.staffPasskey)],
      });
    }
    case "station.exchange": {
      const { intent, passkey, station } = op.payload;
      return encodeFunctionData({
        abi: communityStationsAbi,
        functionName: "exchangeAssisted",
        args: [station.stationId, intentFromWire<ExchangeIntent>(intent), encodePasskeyAssertion(passkey), station.staff, encodePasskeyAssertion(station.staffPasskey)],
      });
    }
    case "station.enrol": {
      const { qx, qy, credentialId, station } = op.payload;
      return encodeFunctionData({
        abi: communityStationsAbi,
        functionName: "enrolAssisted",
        args: [station.stationId, qx, qy, credentialId, station.staff, encodePasskeyAssertion(station.staffPasskey)],
      });
    }
    case "agreement.propose": {
      const p = op.payload;
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "proposeAgreement",
        args: [p.fromDomain, p.toDomain, p.rateNum, p.rateDen, BigInt(p.periodCap), p.validFromPeriod, p.validUntilPeriod],
      });
    }
    case "agreement.approve":
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "approveAgreement", args: [BigInt(op.payload.agreementId), op.payload.version] });
    case "agreement.suspend":
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "setAgreementSuspended", args: [BigInt(op.payload.agreementId), op.payload.suspended] });
    case "settlement.close":
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "closePeriod", args: [op.payload.period] });
    case "settlement.confirm":
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "confirmSettlement",
        args: [op.payload.period, op.payload.domainId, op.payload.paymentRef],
      });
    case "partner.set":
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "setPartner", args: [op.payload.domainId, op.payload.partner, op.payload.allowed] });
  }
}

/** The contract a single operation calls: the registry of passkey accounts for registrations, the stations for assisted operations, the ledger for the rest. */
export function singleCallTarget(kind: SinglePayload["kind"], contracts: { ledger: Address; passkeyAccounts: Address; communityStations?: Address }): Address {
  if (kind === "passkey.register") return contracts.passkeyAccounts;
  if (kind.startsWith("station.")) {
    if (!contracts.communityStations) throw new Error(`a ${kind} operation needs the deployment's community stations contract`);
    return contracts.communityStations;
  }
  return contracts.ledger;
}

/**
 * A ceiling for single operations; closing a period loops over agreements and domains. A passkey
 * intent verifies P-256 (about 7,000 gas with the precompile, some 250,000 more without it).
 */
export function singleGasLimit(kind: OperationKind): bigint {
  switch (kind) {
    case "settlement.close":
      return 8_000_000n;
    case "agreement.propose":
      return 400_000n;
    case "exchange":
    case "redeem":
      return 600_000n;
    case "station.exchange":
    case "station.redeem":
      return 800_000n; // two P-256 verifications
    case "station.enrol":
      return 400_000n;
    default:
      return 300_000n;
  }
}
