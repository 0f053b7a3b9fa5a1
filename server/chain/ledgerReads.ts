/** The ledger's views, as the API presents them (amounts as decimal strings). */
import { getAbiItem, type Address } from "viem";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { agreementDomains } from "../../sdk/src/agreementId";
import { isAgreementInForce } from "../../sdk/src/agreementInForce";
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
  /** Claim checks asked in one turn of the event loop, answered by one read (see isClaimUsed). */
  private claimChecks: ClaimCheck[] = [];
  private readonly claimReader: PairReader;

  constructor(
    private readonly gateway: ChainGateway,
    readonly ledger: Address,
    private readonly deployBlock: bigint,
  ) {
    this.claimReader = new PairReader(pairReaderRpc(gateway), ledger);
  }

  private read<T>(functionName: string, args: readonly unknown[]): Promise<T> {
    return this.gateway
      .guard(functionName, () =>
        this.gateway.client.readContract({ address: this.ledger, abi: pointsLedgerAbi, functionName: functionName as never, args: args as never }) as Promise<T>,
      )
      .catch(asRequestError);
  }

  async currentPeriod(): Promise<number> {
    return Number(await this.read<number>("currentPeriod", []));
  }

  async periodSeconds(): Promise<number> {
    return Number(await this.read<bigint>("PERIOD_SECONDS", []));
  }

  async domainIds(): Promise<number[]> {
    const count = Number(await this.read<number>("domainCount", []));
    return Array.from({ length: count }, (_, i) => i + 1);
  }

  async domains() {
    const ids = await this.domainIds();
    const views = await Promise.all(
      ids.map((id) =>
        this.read<{ name: string; agency: Address; pointValue: number; residentCap: bigint; transferable: boolean; paused: boolean; supply: bigint }>("domain", [id]),
      ),
    );
    return views.map((d, i) => ({
      id: ids[i],
      name: d.name,
      agency: d.agency,
      pointValue: Number(d.pointValue),
      residentCap: d.residentCap.toString(),
      transferable: d.transferable,
      paused: d.paused,
      supply: d.supply.toString(),
    }));
  }

  async balances(resident: Address) {
    const ids = await this.domainIds();
    const rows = await Promise.all(
      ids.map(async (id) => {
        const [balance, nonce] = await Promise.all([this.read<bigint>("balanceOf", [resident, BigInt(id)]), this.read<bigint>("nonces", [resident, id])]);
        return { domainId: id, balance: balance.toString(), nextNonce: nonce.toString() };
      }),
    );
    return { resident, balances: rows };
  }

  async intentNonce(resident: Address, domainId: number): Promise<bigint> {
    return this.read<bigint>("nonces", [resident, domainId]);
  }

  /**
   * Called on every issuance request, so the checks of concurrent requests are gathered and sent
   * as one `eth_call` that runs the auditor's reader under a state override (plain batched calls
   * where the node refuses overrides): the node executes one call instead of one per request.
   */
  isClaimUsed(domainId: number, claimId: bigint): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (this.claimChecks.push({ domainId, claimId, resolve, reject }) === 1) setImmediate(() => void this.flushClaimChecks());
    });
  }

  private async flushClaimChecks(): Promise<void> {
    const checks = this.claimChecks.splice(0);
    try {
      const items = checks.map((c) => ({ address: c.domainId.toString(16), id: c.claimId }));
      const used = await this.gateway.guard("isClaimUsed", () => this.claimReader.read(IS_CLAIM_USED, items, { blockNumber: "latest" }));
      checks.forEach((c, i) => c.resolve(used[i] !== 0n));
    } catch (error) {
      for (const c of checks) c.reject(error);
    }
  }

  async quote(fromDomain: number, toDomain: number, amountIn: bigint) {
    const [amountOut, agreementId, version] = await this.read<[bigint, bigint, number]>("quoteExchange", [fromDomain, toDomain, amountIn]);
    return { fromDomain, toDomain, amountIn: amountIn.toString(), amountOut: amountOut.toString(), agreementId: agreementId.toString(), version: Number(version) };
  }

  async agreements(onlyInForce: boolean) {
    const count = Number(await this.read<bigint>("agreementCount", []));
    const period = await this.currentPeriod();
    const ids = await Promise.all(Array.from({ length: count }, (_, i) => this.read<bigint>("agreementAt", [BigInt(i)])));
    const views = await Promise.all(ids.map((id) => this.read<AgreementView>("agreement", [id])));
    return views
      .map((a) => {
        const current = a.current.version > 0 ? terms(a.current) : undefined;
        const inForce = isAgreementInForce({ current, suspendedByFrom: a.suspendedByFrom, suspendedByTo: a.suspendedByTo }, period);
        return {
          agreementId: a.agreementId.toString(),
          fromDomain: Number(a.fromDomain),
          toDomain: Number(a.toDomain),
          inForce,
          ...(current ? { current } : {}),
          suspendedByFrom: a.suspendedByFrom,
          suspendedByTo: a.suspendedByTo,
          ...(a.pending.version > 0
            ? { pending: { ...terms(a.pending), approvedByFrom: a.pendingApprovedByFrom, approvedByTo: a.pendingApprovedByTo } }
            : {}),
        };
      })
      .filter((a) => !onlyInForce || a.inForce);
  }

  async issuerState(domainId: number, issuer: Address) {
    const [state, period] = await Promise.all([
      this.read<{ admitted: boolean; suspended: boolean; quota: bigint; usedThisPeriod: bigint }>("issuerState", [domainId, issuer]),
      this.currentPeriod(),
    ]);
    const remaining = state.quota > state.usedThisPeriod ? state.quota - state.usedThisPeriod : 0n;
    return {
      domainId,
      issuer,
      admitted: state.admitted,
      suspended: state.suspended,
      quota: state.quota.toString(),
      usedThisPeriod: state.usedThisPeriod.toString(),
      remaining: remaining.toString(),
      period,
    };
  }

  async settlement(period: number) {
    const [closed, currentPeriod, ids] = await Promise.all([this.read<boolean>("isPeriodClosed", [period]), this.currentPeriod(), this.domainIds()]);
    const positions = closed
      ? (
          await Promise.all(
            ids.map(async (domainId) => {
              const p = await this.read<{ net: bigint; confirmed: boolean; paymentRef: `0x${string}` }>("settlementPosition", [period, domainId]);
              return { domainId, net: p.net.toString(), confirmed: p.confirmed, ...(p.confirmed ? { paymentRef: p.paymentRef } : {}) };
            }),
          )
        ).filter((p) => p.net !== "0")
      : [];
    return { period, currentPeriod, closed, positions };
  }

  /** The resident's events, oldest first, from the deployment block (pages of 5,000 blocks, as Besu allows). */
  async history(resident: Address) {
    const latest = await this.gateway.blockNumber();
    // One query per event, filtered on the resident's indexed topic, so only their logs travel.
    const filters = [
      { event: ISSUED, args: { resident } },
      { event: EXCHANGED, args: { resident } },
      { event: REDEEMED, args: { resident } },
      { event: TRANSFERRED, args: { from: resident } },
      { event: TRANSFERRED, args: { to: resident } },
    ] as const;
    const entries: { sortKey: bigint; entry: Record<string, unknown> }[] = [];
    for (let from = this.deployBlock; from <= latest; from += 5_000n) {
      const to = from + 4_999n < latest ? from + 4_999n : latest;
      for (const filter of filters) {
        const logs = await this.gateway.guard("eth_getLogs", () =>
          this.gateway.client.getLogs({ address: this.ledger, event: filter.event, args: filter.args as never, fromBlock: from, toBlock: to }),
        );
        for (const log of logs) {
          const entry = historyEntry(log as unknown as DecodedLog, resident);
          if (entry) entries.push({ sortKey: log.blockNumber! * 100_000n + BigInt(log.logIndex!), entry });
        }
      }
    }
    entries.sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    return { resident, entries: entries.map((e) => e.entry) };
  }
}

interface AgreementTermsView {
  rateNum: number;
  rateDen: number;
  periodCap: bigint;
  validFromPeriod: number;
  validUntilPeriod: number;
  version: number;
}
interface AgreementView {
  agreementId: bigint;
  fromDomain: number;
  toDomain: number;
  current: AgreementTermsView;
  suspendedByFrom: boolean;
  suspendedByTo: boolean;
  pending: AgreementTermsView;
  pendingApprovedByFrom: boolean;
  pendingApprovedByTo: boolean;
}

function terms(t: AgreementTermsView) {
  return {
    version: Number(t.version),
    rateNum: Number(t.rateNum),
    rateDen: Number(t.rateDen),
    periodCap: t.periodCap.toString(),
    validFromPeriod: Number(t.validFromPeriod),
    validUntilPeriod: Number(t.validUntilPeriod),
  };
}

const ISSUED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsIssued" });
const EXCHANGED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsExchanged" });
const REDEEMED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsRedeemed" });
const TRANSFERRED = getAbiItem({ abi: pointsLedgerAbi, name: "PointsTransferred" });

interface DecodedLog {
  eventName: string;
  args: Record<string, unknown>;
  blockNumber: bigint;
  transactionHash: string;
}

function historyEntry(log: DecodedLog, resident: Address): Record<string, unknown> | undefined {
  const a = log.args;
  const base = { blockNumber: Number(log.blockNumber), transactionHash: log.transactionHash };
  const me = resident.toLowerCase();
  const is = (v: unknown) => typeof v === "string" && v.toLowerCase() === me;
  switch (log.eventName) {
    case "PointsIssued":
      return is(a.resident) ? { type: "issued", ...base, domainId: Number(a.domainId), amount: String(a.amount) } : undefined;
    case "PointsExchanged": {
      if (!is(a.resident)) return undefined;
      return {
        type: "exchanged",
        ...base,
        ...agreementDomains(a.agreementId as bigint),
        amountIn: String(a.amountIn),
        amountOut: String(a.amountOut),
        nonce: String(a.nonce),
      };
    }
    case "PointsRedeemed":
      return is(a.resident) ? { type: "redeemed", ...base, domainId: Number(a.domainId), amount: String(a.amount), nonce: String(a.nonce) } : undefined;
    case "PointsTransferred":
      if (is(a.from)) return { type: "transferred-out", ...base, domainId: Number(a.domainId), amount: String(a.amount), nonce: String(a.nonce) };
      if (is(a.to)) return { type: "transferred-in", ...base, domainId: Number(a.domainId), amount: String(a.amount) };
      return undefined;
    default:
      return undefined;
  }
}
