/**
 * Quoting an exchange before the resident signs: what the agreement in force gives, and what the
 * floor rounding leaves behind, read from the chain at one block so the numbers agree.
 */
import type { Address, Client } from "viem";
import { getBlockNumber, readContract } from "viem/actions";
import { pointsLedgerAbi } from "../abi";
import { toContractRevertError } from "../errors/contract";
import { InvalidArgumentError } from "../errors/base";

export interface QuoteExchangeParameters {
  ledger: Address;
  fromDomain: number;
  toDomain: number;
  amountIn: bigint;
  /** Block to read at; the latest by default. */
  blockNumber?: bigint;
}

export interface ExchangeQuote {
  agreementId: bigint;
  version: number;
  /** amountOut = floor(amountIn × rateNum / rateDen). */
  rateNum: bigint;
  rateDen: bigint;
  amountIn: bigint;
  amountOut: bigint;
  /** The smallest amountIn that gives the same amountOut (0 when amountOut is 0). */
  smallestAmountIn: bigint;
  /** Points of amountIn that buy nothing: amountIn − smallestAmountIn (all of amountIn when amountOut is 0). */
  leftover: bigint;
  /** The amountIn that would give one more point out. */
  amountInForNextPoint: bigint;
  /** What the agreement still accepts this period (undefined: no cap). */
  remainingCap: bigint | undefined;
  period: number;
  blockNumber: bigint;
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

/**
 * Quotes an exchange at the agreement in force. Throws `ContractRevertError` (e.g.
 * PointsLedgerNoAgreement, PointsLedgerAgreementNotInForce) when the ledger would refuse it.
 * @example
 * const quote = await quoteExchange(publicClient, { ledger, fromDomain: 1, toDomain: 2, amountIn: 100n });
 * // quote.amountOut goes into the intent's minAmountOut; quote.leftover tells the resident what rounding keeps.
 */
export async function quoteExchange(client: Client, params: QuoteExchangeParameters): Promise<ExchangeQuote> {
  if (params.amountIn <= 0n) throw new InvalidArgumentError("amountIn must be positive.", { details: { amountIn: params.amountIn } });
  const blockNumber = params.blockNumber ?? (await getBlockNumber(client, { cacheTime: 0 }));
  const read = { address: params.ledger, abi: pointsLedgerAbi, blockNumber } as const;
  try {
    const [[amountOut, agreementId, version], period] = await Promise.all([
      readContract(client, { ...read, functionName: "quoteExchange", args: [params.fromDomain, params.toDomain, params.amountIn] }),
      readContract(client, { ...read, functionName: "currentPeriod" }),
    ]);
    const [agreement, usage] = await Promise.all([
      readContract(client, { ...read, functionName: "agreement", args: [agreementId] }),
      readContract(client, { ...read, functionName: "agreementUsage", args: [agreementId, period] }),
    ]);
    const rateNum = BigInt(agreement.current.rateNum);
    const rateDen = BigInt(agreement.current.rateDen);
    const cap = agreement.current.periodCap;
    const smallestAmountIn = amountOut === 0n ? 0n : ceilDiv(amountOut * rateDen, rateNum);
    return {
      agreementId,
      version,
      rateNum,
      rateDen,
      amountIn: params.amountIn,
      amountOut,
      smallestAmountIn,
      leftover: params.amountIn - smallestAmountIn,
      amountInForNextPoint: ceilDiv((amountOut + 1n) * rateDen, rateNum),
      remainingCap: cap === 0n ? undefined : cap > usage[0] ? cap - usage[0] : 0n,
      period,
      blockNumber,
    };
  } catch (error) {
    throw toContractRevertError(error) ?? error;
  }
}
