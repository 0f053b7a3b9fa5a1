/**
 * The relay's ledger index: follows the ledger's events from its deployment block and keeps the
 * public figures (figures.ts) in memory, so the public ledger's reads never rescan the chain.
 *
 * At start it reads the history in pages with the SDK's `fetchLogPages` and decodes each log with
 * the SDK's `createEventDecoder` (the auditor's own), logging its progress; then it asks for new
 * blocks every `pollMs`. Each turn it first checks that the chain still has the last block it
 * indexed, with the same hash: a node that lost blocks (a local chain restarted from older state)
 * makes it start over, so the figures always match a chain the node still shows. While the chain
 * cannot be reached the figures stay as they were (the status says so) and it retries with backoff.
 */
import type { Deployment } from "../../sdk/src/deployment";
import { createEventDecoder, type EventDecoder, type RawLog } from "../../sdk/src/auditor/decode";
import type { AuditEvent } from "../../sdk/src/auditor/events";
import { fetchLogPages } from "../../sdk/src/auditor/logs";
import type { RpcClient } from "../../sdk/src/auditor/rpc";
import type { LedgerIndexStatus } from "../../sdk/src/wire/ledger";
import type { Logger } from "../logger";
import { LedgerFigures } from "./figures";

export interface LedgerIndexOptions {
  /** How often to look for new blocks once caught up. */
  pollMs: number;
  /** Longest wait between attempts while the chain is unreachable. */
  maxBackoffMs?: number;
  /** How often catching up logs its progress. */
  progressEveryMs?: number;
}

interface BlockHeader {
  number: number;
  hash: string;
  timestamp: number;
}

const HEADER_BATCH = 200;

export class LedgerIndex {
  private figuresNow = new LedgerFigures();
  private block = -1;
  private blockHash: string | null = null;
  private blockTime: number | null = null;
  private head: number | null = null;
  private reachable = false;
  private failures = 0;
  private running = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly decoder: EventDecoder;

  constructor(
    private readonly rpc: RpcClient,
    private readonly deployment: Deployment,
    private readonly logger: Logger,
    private readonly options: LedgerIndexOptions,
  ) {
    this.decoder = createEventDecoder(deployment);
  }

  /** The figures up to `status().block`. A rebuild after lost blocks replaces the object. */
  get figures(): LedgerFigures {
    return this.figuresNow;
  }

  status(): LedgerIndexStatus {
    return {
      block: this.block,
      blockTime: this.blockTime,
      head: this.head,
      upToDate: this.reachable && this.head !== null && this.block >= this.head,
      chainReachable: this.reachable,
      events: this.figuresNow.eventCount,
    };
  }

  /** The period a block time falls in, by the ledger's clock (`_currentPeriod`). */
  periodAt(time: number): number {
    return Math.max(0, Math.floor((time - this.deployment.genesisTime) / this.deployment.periodSeconds));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.sync();
        if (!this.reachable && this.failures > 0) this.logger.info({ block: this.block }, "ledger index: the chain answers again");
        this.reachable = true;
        this.failures = 0;
      } catch (error) {
        if (this.reachable || this.failures === 0) {
          this.logger.warn({ err: (error as Error).message, block: this.block }, "ledger index: cannot read the chain; the figures stay at the last block read; retrying");
        }
        this.reachable = false;
        this.failures++;
      }
      const wait = this.failures === 0 ? this.options.pollMs : Math.min(this.options.maxBackoffMs ?? 30_000, this.options.pollMs * 2 ** Math.min(this.failures, 10));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** One turn: check the last indexed block is still the chain's, then read up to the head. */
  async sync(): Promise<void> {
    const head = Number(await this.rpc.request<string>("eth_blockNumber", []));
    this.head = head;
    if (this.block >= 0) {
      const still = await this.header(this.block);
      if (!still || still.hash !== this.blockHash) {
        this.logger.warn({ block: this.block, head }, "ledger index: the chain no longer has the last block indexed; reading the ledger again from its deployment");
        this.figuresNow = new LedgerFigures();
        this.block = -1;
        this.blockHash = this.blockTime = null;
      }
    }
    if (head <= this.block) return;
    const fromBlock = this.block < 0 ? this.deployment.deployBlock : this.block + 1;
    if (fromBlock > head) return;
    const catchingUp = this.block < 0;
    const started = Date.now();
    let lastProgress = started;
    if (catchingUp) this.logger.info({ fromBlock, toBlock: head }, "ledger index: reading the ledger's events");
    for await (const page of fetchLogPages(this.rpc, { addresses: [this.deployment.ledger.toLowerCase()], fromBlock, toBlock: head })) {
      if (this.stopping) return;
      await this.applyPage(page.logs);
      const end = await this.header(page.toBlock);
      if (!end) throw new Error(`block ${page.toBlock} vanished while being indexed`);
      this.block = end.number;
      this.blockHash = end.hash;
      this.blockTime = end.timestamp;
      if (catchingUp && Date.now() - lastProgress >= (this.options.progressEveryMs ?? 2_000)) {
        lastProgress = Date.now();
        this.logger.info({ block: this.block, toBlock: head, events: this.figuresNow.eventCount }, "ledger index: reading");
      }
    }
    if (catchingUp) {
      this.logger.info({ block: this.block, events: this.figuresNow.eventCount, seconds: (Date.now() - started) / 1000 }, "ledger index: up to date");
    }
  }

  private async applyPage(logs: RawLog[]): Promise<void> {
    const events: AuditEvent[] = [];
    const untimed = new Set<number>();
    for (const log of logs) {
      const event = this.decoder.decode(log);
      if (!event) continue;
      events.push(event);
      if (event.blockTimestamp === undefined) untimed.add(event.blockNumber);
    }
    const times = await this.blockTimes([...untimed]);
    const figures = this.figuresNow;
    for (const event of events) {
      const time = event.blockTimestamp ?? times.get(event.blockNumber) ?? null;
      const stated = (event.args as { period?: unknown }).period;
      // Issuances and exchanges state their period; SettlementPublished's period is the one settled.
      const period = (event.name === "PointsIssued" || event.name === "PointsExchanged") && typeof stated === "number" ? stated : time === null ? 0 : this.periodAt(time);
      figures.apply(event, period, time);
    }
  }

  /** Block times for nodes whose logs do not carry them (anvil's do; Hardhat's and Besu's do not). */
  private async blockTimes(blocks: number[]): Promise<Map<number, number>> {
    const times = new Map<number, number>();
    for (let i = 0; i < blocks.length; i += HEADER_BATCH) {
      const chunk = blocks.slice(i, i + HEADER_BATCH);
      const headers = await this.rpc.batch<{ timestamp: string } | null>(chunk.map((n) => ({ method: "eth_getBlockByNumber", params: ["0x" + n.toString(16), false] })));
      headers.forEach((h, j) => {
        if (h) times.set(chunk[j], Number(h.timestamp));
      });
    }
    return times;
  }

  private async header(block: number): Promise<BlockHeader | undefined> {
    const h = await this.rpc.request<{ number: string; hash: string; timestamp: string } | null>("eth_getBlockByNumber", ["0x" + block.toString(16), false]);
    return h ? { number: Number(h.number), hash: h.hash, timestamp: Number(h.timestamp) } : undefined;
  }
}
