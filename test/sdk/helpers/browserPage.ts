/**
 * The script of the page that test/sdk/browserRun.test.ts opens in Chromium, bundled for the
 * browser from the SDK's browser entries: what a public audit page and a resident app do with
 * them. Arguments and results cross into the page as JSON, so amounts travel as strings.
 */
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { audit, type AuditReport } from "../../../sdk/src/entries/auditor";
import { buildExchangeIntent, signIntent, verifyIntent } from "../../../sdk/src/entries/resident";
import { exchangeRequestSchema, intentToWire } from "../../../sdk/src/entries/wire";

export interface SignInput {
  key: Hex;
  ledger: { chainId: number; address: Hex };
  fromDomain: number;
  toDomain: number;
  amountIn: string;
  minAmountOut: string;
  nonce: string;
  deadline: string;
}

export const page = {
  /** A whole audit from the browser, over HTTP straight to the node (log pages read as streams under a size limit). */
  audit(rpcUrl: string, deployment: unknown): Promise<AuditReport> {
    return audit({ rpcUrl, deployment });
  },

  /** A resident's exchange intent, signed and checked, and the relay's request body parsed. */
  async signExchange(input: SignInput): Promise<{ signature: Hex; valid: boolean; parsedAmountIn: string }> {
    const resident = privateKeyToAccount(input.key);
    const intent = buildExchangeIntent({
      resident: resident.address,
      fromDomain: input.fromDomain,
      toDomain: input.toDomain,
      amountIn: BigInt(input.amountIn),
      minAmountOut: BigInt(input.minAmountOut),
      nonce: BigInt(input.nonce),
      deadline: BigInt(input.deadline),
    });
    const { signature } = await signIntent(resident, "ExchangeIntent", intent, input.ledger);
    const valid = await verifyIntent("ExchangeIntent", intent, signature, input.ledger);
    const parsed = exchangeRequestSchema.parse({ intent: intentToWire(intent), signature });
    return { signature, valid, parsedAmountIn: String(parsed.intent.amountIn) };
  },
};

export type BrowserPage = typeof page;

(globalThis as { sdkPage?: BrowserPage }).sdkPage = page;
