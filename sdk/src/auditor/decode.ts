/**
 * A small decoder for our own events: topic0 → layout, built once from the ABIs in sdk/src/abi,
 * then applied with string slicing. It handles only the types our events use and skips the
 * validation a generic ABI decoder does, which is most of the decoding cost on long ledgers.
 * Conventions: uint of at most 32 bits → number, wider → bigint; int256 → bigint; address →
 * lower-case hex; bool; bytes32 → hex; string and bytes (dynamic) → string / hex.
 */
import { hexToBytes, toEventSelector, type AbiEvent, type Hex } from "viem";
import { cityCouncilAbi, communityStationsAbi, passkeyAccountsAbi, pointsLedgerAbi } from "../abi";
import type { Addr, AuditEvent } from "./events";

/** A log as `eth_getLogs` returns it. */
export interface RawLog {
  address: string;
  topics: string[];
  data: string;
  blockNumber: string;
  transactionHash: string;
  logIndex: string;
  removed?: boolean;
  /** Given by some nodes (anvil, recent geth); lets the checker verify each event's period. */
  blockTimestamp?: string;
}

type Convert = (word: string, data: string) => unknown;

interface Field {
  name: string;
  indexed: boolean;
  /** Topic number (1..3) or data word number. */
  slot: number;
  convert: Convert;
}

interface Layout {
  name: string;
  topicCount: number;
  dataWords: number;
  fields: Field[];
}

const toBigInt: Convert = (word) => BigInt("0x" + word);
const toNumber: Convert = (word) => parseInt(word.slice(52), 16); // the low 48 bits hold any uint32
const toAddress: Convert = (word) => ("0x" + word.slice(24).toLowerCase()) as Addr;
const toBool: Convert = (word) => word.charCodeAt(63) !== 48; // "0"
const toBytes32: Convert = (word) => ("0x" + word.toLowerCase()) as Hex;
const toInt: Convert = (word) => BigInt.asIntN(256, BigInt("0x" + word));

function dynamicBytes(word: string, data: string): string {
  const offset = parseInt(word, 16) * 2;
  const length = parseInt(data.substr(2 + offset, 64), 16) * 2;
  return data.substr(2 + offset + 64, length);
}
const toBytes: Convert = (word, data) => ("0x" + dynamicBytes(word, data).toLowerCase()) as Hex;
// TextDecoder, not Buffer, so the auditor runs in browsers. With `ignoreBOM` it decodes exactly as
// Buffer's "utf8" did: a leading BOM is kept and malformed sequences become U+FFFD.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const toString: Convert = (word, data) => utf8.decode(hexToBytes(`0x${dynamicBytes(word, data)}`));

function converterFor(type: string, indexed: boolean): Convert {
  if (indexed && (type === "string" || type === "bytes")) return toBytes32; // only the hash is in the topic
  if (type === "address") return toAddress;
  if (type === "bool") return toBool;
  if (type === "bytes32") return toBytes32;
  if (type === "int256") return toInt;
  if (type === "string") return toString;
  if (type === "bytes") return toBytes;
  const uint = /^uint(\d+)$/.exec(type);
  if (uint) return Number(uint[1]) <= 32 ? toNumber : toBigInt;
  throw new Error(`the auditor's decoder has no layout for ABI type ${type}`);
}

function layoutsOf(abi: readonly unknown[]): Map<string, Layout> {
  const layouts = new Map<string, Layout>();
  for (const item of abi as AbiEvent[]) {
    if (item.type !== "event") continue;
    let topic = 1;
    let word = 0;
    const fields = item.inputs.map((input) => {
      const indexed = input.indexed === true;
      const field = { name: input.name!, indexed, slot: indexed ? topic++ : word++, convert: converterFor(input.type, indexed) };
      return field;
    });
    layouts.set(toEventSelector(item), { name: item.name, topicCount: topic, dataWords: word, fields });
  }
  return layouts;
}

export interface EventDecoder {
  /** The event, or undefined for a log of another contract or an unknown or malformed event. */
  decode(log: RawLog): AuditEvent | undefined;
  /** Topics the decoder knows, per contract, for `eth_getLogs` filters. */
  readonly addresses: Addr[];
}

/** A decoder for the logs of one deployment's ledger, council, (format 2 records) passkey registry and community stations. */
export function createEventDecoder(contracts: { ledger: string; council: string; passkeyAccounts?: string; communityStations?: string }): EventDecoder {
  const ledger = contracts.ledger.toLowerCase() as Addr;
  const council = contracts.council.toLowerCase() as Addr;
  const byContract = new Map<string, Map<string, Layout>>([
    [ledger, LEDGER_LAYOUTS],
    [council, COUNCIL_LAYOUTS],
  ]);
  const registry = contracts.passkeyAccounts?.toLowerCase() as Addr | undefined;
  if (registry) byContract.set(registry, PASSKEY_LAYOUTS);
  const stations = contracts.communityStations?.toLowerCase() as Addr | undefined;
  if (stations) byContract.set(stations, STATION_LAYOUTS);
  return {
    addresses: [...byContract.keys()] as Addr[],
    decode(log: RawLog): AuditEvent | undefined {
      // Nodes answer in lower case; look up as given first, and lower-case only on a miss.
      let address = log.address;
      let layouts = byContract.get(address);
      if (!layouts) layouts = byContract.get((address = address.toLowerCase()));
      const topic0 = log.topics[0] ?? "";
      const layout = layouts?.get(topic0) ?? layouts?.get(topic0.toLowerCase());
      if (!layout || log.topics.length !== layout.topicCount || log.data.length < 2 + 64 * layout.dataWords) return undefined;
      const args: Record<string, unknown> = {};
      const { topics, data } = log;
      for (const f of layout.fields) {
        args[f.name] = f.indexed ? f.convert(topics[f.slot].slice(2), data) : f.convert(data.substr(2 + 64 * f.slot, 64), data);
      }
      const event = {
        name: layout.name,
        args,
        blockNumber: parseInt(log.blockNumber, 16),
        transactionHash: log.transactionHash as Hex,
        logIndex: parseInt(log.logIndex, 16),
        address: address as Addr,
      } as AuditEvent;
      if (log.blockTimestamp !== undefined) event.blockTimestamp = parseInt(log.blockTimestamp, 16);
      return event;
    },
  };
}

const LEDGER_LAYOUTS = layoutsOf(pointsLedgerAbi);
const COUNCIL_LAYOUTS = layoutsOf(cityCouncilAbi);
const PASSKEY_LAYOUTS = layoutsOf(passkeyAccountsAbi);
const STATION_LAYOUTS = layoutsOf(communityStationsAbi);
