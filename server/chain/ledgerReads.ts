/**
 * The ledger's views, read from the chain and typed by the generated ABI (amounts as bigint).
 * Presenting them in the API's shapes is services/queries.ts's; scanning a resident's logs is
 * residentHistory.ts's.
 */
import type { Address, Hex } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { PairReader } from "../../sdk/src/auditor/reader";
import { ConflictError, NotFoundError } from "../errors";
import { pairReaderRpc, type ChainGateway } from "./gateway";
import { decodeRevert, findRevertData } from "./revert";

/** Selector of isClaimUsed(uint32,uint256). */
const IS_CLAIM_USED = "0xcdb390a1";

const MISSING = new Set(["PointsLedgerNoAgreement", "PointsLedgerUnknownDomain"]);

/** A view that reverts (no such agreement or domain, agreement not in force) is the caller's 404/409, not ours. */
function asRequestError(error: unknown): never {
  const data = findRevertData(error);
  if (!data) throw error;
  const failure = decodeRevert(data);
  const Err = MISSING.has(failure.name) ? NotFoundError : ConflictError;
  throw new Err(`the ledger says ${failure.name}`, { details: { error: failure.name, args: failure.args } });
}

interface ClaimCheck {
  domainId: number;
  claimId: bigint;
  resolve: (used: boolean) => void;
  reject: (error: unknown) => void;
}

export class LedgerReads {
  /** Claim checks waiting for the next read (see isClaimUsed). */
  private claimChecks: ClaimCheck[] = [];
  /** Whether a read of claim checks is at the node now: checks asked meanwhile wait for the next. */
  private claimReadInFlight = false;
  private readonly claimReader: PairReader;

  constructor(
    private readonly gateway: ChainGateway,
    readonly ledger: Address,
    /** Where the ledger's history starts. */
    readonly deployBlock: bigint,
  ) {
    this.claimReader = new PairReader(pairReaderRpc(gateway), ledger);
  }

  /** A view call: unreachable node → ChainUnreachableError, a revert → the caller's 404/409. */
  private view<T>(functionName: string, read: () => Promise<T>): Promise<T> {
    return this.gateway.guard(functionName, read).catch(asRequestError);
  }

  private get contract() {
    return { address: this.ledger, abi: pointsLedgerAbi } as const;
  }

  async currentPeriod(): Promise<number> {
    return Number(await this.view("currentPeriod", () => this.gateway.client.readContract({ ...this.contract, functionName: "currentPeriod" })));
  }

  async periodSeconds(): Promise<number> {
    return Number(await this.view("PERIOD_SECONDS", () => this.gateway.client.readContract({ ...this.contract, functionName: "PERIOD_SECONDS" })));
  }

  /** Domain ids run from 1 to the domain count. */
  async domainIds(): Promise<number[]> {
    const count = Number(await this.view("domainCount", () => this.gateway.client.readContract({ ...this.contract, functionName: "domainCount" })));
    return Array.from({ length: count }, (_, i) => i + 1);
  }

  domain(domainId: number) {
    return this.view("domain", () => this.gateway.client.readContract({ ...this.contract, functionName: "domain", args: [domainId] }));
  }

  balanceOf(resident: Address, domainId: number): Promise<bigint> {
    return this.view("balanceOf", () => this.gateway.client.readContract({ ...this.contract, functionName: "balanceOf", args: [resident, BigInt(domainId)] }));
  }

  /** Whether residents of the domain may redeem at this address (`setPartner`). */
  isPartner(domainId: number, partner: Address): Promise<boolean> {
    return this.view("isPartner", () => this.gateway.client.readContract({ ...this.contract, functionName: "isPartner", args: [domainId, partner] }));
  }

  /** The nonce the resident's next intent spending from the domain must carry. */
  intentNonce(resident: Address, domainId: number): Promise<bigint> {
    return this.view("nonces", () => this.gateway.client.readContract({ ...this.contract, functionName: "nonces", args: [resident, domainId] }));
  }

  /**
   * Called on every issuance request, so the checks of concurrent requests are gathered and sent
   * as one `eth_call` that runs the auditor's reader under a state override (plain batched calls
   * where the node refuses overrides): the node executes one call instead of one per request.
   * At most one such read is at the node at a time; the checks asked while it is out are gathered
   * for the next, so under load the reads stay few whatever the request rate, and no check waits
   * longer than the read before it plus its own.
   */
  isClaimUsed(domainId: number, claimId: bigint): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.claimChecks.push({ domainId, claimId, resolve, reject }) === 1 && !this.claimReadInFlight) setImmediate(() => void this.flushClaimChecks());
    });
  }

  private async flushClaimChecks(): Promise<void> {
    const checks = this.claimChecks.splice(0);
    if (checks.length === 0) return;
    this.claimReadInFlight = true;
    try {
      const items = checks.map((c) => ({ address: c.domainId.toString(16), id: c.claimId }));
      const used = await this.gateway.guard("isClaimUsed", () => this.claimReader.read(IS_CLAIM_USED, items, { blockNumber: "latest" }));
      checks.forEach((c, i) => c.resolve(used[i] !== 0n));
    } catch (error) {
      for (const c of checks) c.reject(error);
    } finally {
      this.claimReadInFlight = false;
      // Checks asked while this read was out: one read for all of them, sent now (each after it was asked).
      if (this.claimChecks.length > 0) setImmediate(() => void this.flushClaimChecks());
    }
  }

  /** What an exchange would give now; reverts (404/409) without an agreement in force. */
  async quoteExchange(fromDomain: number, toDomain: number, amountIn: bigint): Promise<{ amountOut: bigint; agreementId: bigint; version: number }> {
    const [amountOut, agreementId, version] = await this.view("quoteExchange", () =>
      this.gateway.client.readContract({ ...this.contract, functionName: "quoteExchange", args: [fromDomain, toDomain, amountIn] }),
    );
    return { amountOut, agreementId, version };
  }

  /** Every agreement ever proposed, in the ledger's order. */
  async agreementIds(): Promise<bigint[]> {
    const count = Number(await this.view("agreementCount", () => this.gateway.client.readContract({ ...this.contract, functionName: "agreementCount" })));
    return Promise.all(
      Array.from({ length: count }, (_, i) =>
        this.view("agreementAt", () => this.gateway.client.readContract({ ...this.contract, functionName: "agreementAt", args: [BigInt(i)] })),
      ),
    );
  }

  agreement(agreementId: bigint) {
    return this.view("agreement", () => this.gateway.client.readContract({ ...this.contract, functionName: "agreement", args: [agreementId] }));
  }

  issuerState(domainId: number, issuer: Address) {
    return this.view("issuerState", () => this.gateway.client.readContract({ ...this.contract, functionName: "issuerState", args: [domainId, issuer] }));
  }

  isPeriodClosed(period: number): Promise<boolean> {
    return this.view("isPeriodClosed", () => this.gateway.client.readContract({ ...this.contract, functionName: "isPeriodClosed", args: [period] }));
  }

  settlementPosition(period: number, domainId: number): Promise<{ net: bigint; confirmed: boolean; paymentRef: Hex }> {
    return this.view("settlementPosition", () =>
      this.gateway.client.readContract({ ...this.contract, functionName: "settlementPosition", args: [period, domainId] }),
    );
  }
}
