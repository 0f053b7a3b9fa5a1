/** How each kind of operation becomes a ledger call: function, arguments, and a gas limit. */
import { encodeFunctionData, type Address, type Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { splitSignature } from "../../sdk/src/resident/sign";
import { intentFromWire } from "../../sdk/src/wire/intents";
import type { OperationRecord } from "../store/journal";

/** Gas per batch: a fixed part plus a generous share per item (a fresh holder and a fresh claim word cost about 50k; 500 items stay under a 30M block). */
export function batchGasLimit(items: number): bigint {
  return 150_000n + 55_000n * BigInt(items);
}

export function issueBatchData(domainId: number, ops: OperationRecord[]): Hex {
  const items = ops.map((op) => ({
    resident: op.payload.resident as Address,
    amount: BigInt(op.payload.amount as string),
    claimId: BigInt(op.claimId!),
  }));
  return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "issueBatch", args: [domainId, items] });
}

function intentArgs(payload: Record<string, unknown>): { intent: Record<string, unknown>; v: number; r: Hex; s: Hex } {
  const intent = intentFromWire(payload.intent as Record<string, unknown>) as Record<string, unknown>;
  return { intent, ...splitSignature(payload.signature as Hex) };
}

/** Calldata of a single-operation transaction (everything but issuance, which is batched). */
export function singleCallData(op: OperationRecord): Hex {
  const p = op.payload;
  switch (op.kind) {
    case "issue":
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "issue",
        args: [op.domainId!, p.resident as Address, BigInt(p.amount as string), BigInt(op.claimId!)],
      });
    case "exchange": {
      const { intent, v, r, s } = intentArgs(p);
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "exchange", args: [intent as never, v, r, s] });
    }
    case "redeem": {
      const { intent, v, r, s } = intentArgs(p);
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "redeem", args: [intent as never, v, r, s] });
    }
    case "agreement.propose":
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "proposeAgreement",
        args: [
          p.fromDomain as number,
          p.toDomain as number,
          p.rateNum as number,
          p.rateDen as number,
          BigInt(p.periodCap as string),
          p.validFromPeriod as number,
          p.validUntilPeriod as number,
        ],
      });
    case "agreement.approve":
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "approveAgreement", args: [BigInt(p.agreementId as string), p.version as number] });
    case "agreement.suspend":
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "setAgreementSuspended",
        args: [BigInt(p.agreementId as string), p.suspended as boolean],
      });
    case "settlement.close":
      return encodeFunctionData({ abi: pointsLedgerAbi, functionName: "closePeriod", args: [p.period as number] });
    case "settlement.confirm":
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "confirmSettlement",
        args: [p.period as number, p.domainId as number, p.paymentRef as Hex],
      });
    case "partner.set":
      return encodeFunctionData({
        abi: pointsLedgerAbi,
        functionName: "setPartner",
        args: [p.domainId as number, p.partner as Address, p.allowed as boolean],
      });
  }
}

/** A ceiling for single operations; closing a period loops over agreements and domains. */
export function singleGasLimit(op: OperationRecord): bigint {
  switch (op.kind) {
    case "settlement.close":
      return 8_000_000n;
    case "agreement.propose":
      return 400_000n;
    default:
      return 300_000n;
  }
}
