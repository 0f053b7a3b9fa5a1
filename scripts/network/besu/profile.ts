/**
 * Writes a whole Besu QBFT network definition into one folder, atomically: everything is written to a
 * temporary sibling folder and renamed into place at the end, so a failure leaves nothing half-written,
 * and an existing profile (with its keys) is never overwritten.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { getAddress } from "ethers";
import { NetworkToolError } from "../errors";
import { MIN_QBFT_VALIDATORS } from "../qbft";
import { buildGenesis } from "./genesis";
import { operatorGuide } from "./guide";
import { enodeUrl, generateNodeKey, writeNodeKey, type NodeKey } from "./keys";
import { nodeConfigToml, permissionsToml, PERMISSIONS_FILE, type NodePlan } from "./nodeConfig";


export interface ProfileOptions {
  out: string;
  validators: number;
  auditorNodes: number;
  chainId: number;
  blockPeriodSeconds: number;
  /** Node names, one per validator (default validator-1 …). */
  names?: string[];
  /** P2P hosts, one per validator then one per auditor node, or a single host for all (default 127.0.0.1). */
  hosts?: string[];
  rpcHost: string;
  rpcPort: number;
  p2pPort: number;
  /** Accounts that may send transactions besides the validators: the deployer, relays' signers, council members, pauser. */
  accounts: string[];
}

export interface ProfileSummary {
  out: string;
  chainId: number;
  nodes: (NodePlan & { address: string; folder: string })[];
  accountsAllowlist: string[];
}

export function validateProfileOptions(o: ProfileOptions): void {
  const bad = (message: string) => new NetworkToolError("INVALID_ARGUMENT", message);
  if (!Number.isInteger(o.validators) || o.validators < MIN_QBFT_VALIDATORS) {
    throw bad(`--validators ${o.validators}: QBFT needs at least ${MIN_QBFT_VALIDATORS} validators to tolerate one faulty validator (3f + 1 for f faults), and the city wants one per agency`);
  }
  if (!Number.isInteger(o.auditorNodes) || o.auditorNodes < 0) throw bad(`--auditor-nodes ${o.auditorNodes} must be 0 or more`);
  if (!Number.isSafeInteger(o.chainId) || o.chainId <= 0) throw bad(`--chain-id ${o.chainId} must be a positive integer`);
  if (!Number.isInteger(o.blockPeriodSeconds) || o.blockPeriodSeconds < 1) throw bad(`--block-period ${o.blockPeriodSeconds} must be at least 1 second`);
  if (o.names && o.names.length !== o.validators) throw bad(`--names lists ${o.names.length} names for ${o.validators} validators`);
  if (o.names && new Set(o.names).size !== o.names.length) throw bad("--names lists a name twice");
  if (o.names?.some((n) => !/^[a-z0-9][a-z0-9-]*$/.test(n))) throw bad("--names: use lowercase letters, digits and dashes");
  const total = o.validators + o.auditorNodes;
  if (o.hosts && o.hosts.length !== 1 && o.hosts.length !== total) throw bad(`--hosts lists ${o.hosts.length} hosts: give one for all nodes or one per node (${total})`);
  for (const a of o.accounts) if (!/^0x[0-9a-fA-F]{40}$/.test(a)) throw bad(`${a} is not an account address`);
}

function planNodes(o: ProfileOptions): { plan: Omit<NodePlan, "enode">; key: NodeKey }[] {
  const total = o.validators + o.auditorNodes;
  const hostOf = (i: number) => (o.hosts ? (o.hosts.length === 1 ? o.hosts[0] : o.hosts[i]) : "127.0.0.1");
  const sameHostBefore = (i: number) => Array.from({ length: i }, (_, j) => hostOf(j)).filter((h) => h === hostOf(i)).length;
  return Array.from({ length: total }, (_, i) => {
    const validator = i < o.validators;
    // Nodes sharing a host get consecutive ports; nodes on their own host use the base ports.
    const offset = sameHostBefore(i);
    return {
      plan: {
        name: validator ? (o.names?.[i] ?? `validator-${i + 1}`) : `auditor-${i - o.validators + 1}`,
        role: validator ? "validator" : "auditor",
        p2pHost: hostOf(i),
        p2pPort: o.p2pPort + offset,
        rpcHost: o.rpcHost,
        rpcPort: o.rpcPort + offset,
      },
      key: generateNodeKey(),
    };
  });
}

export function generateProfile(o: ProfileOptions): ProfileSummary {
  validateProfileOptions(o);
  const out = resolve(o.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    throw new NetworkToolError("OUTPUT_EXISTS", `${out} exists and is not empty: a profile holds node keys, so it is never overwritten; choose another --out`);
  }

  const planned = planNodes(o);
  const nodes = planned.map(({ plan, key }) => ({ ...plan, enode: enodeUrl(key, plan.p2pHost, plan.p2pPort), address: key.address, folder: join("nodes", plan.name) }));
  const validators = nodes.filter((n) => n.role === "validator");
  const accounts = [...new Set([...validators.map((v) => v.address), ...o.accounts.map((a) => getAddress(a))])];
  const genesis = JSON.stringify(buildGenesis({ chainId: o.chainId, validators: validators.map((v) => v.address), blockPeriodSeconds: o.blockPeriodSeconds }), null, 2) + "\n";
  const permissions = permissionsToml(nodes.map((n) => n.enode), accounts);
  const summary: ProfileSummary = { out, chainId: o.chainId, nodes, accountsAllowlist: accounts };

  const staging = join(dirname(out), `.${basename(out)}.partial-${randomBytes(4).toString("hex")}`);
  try {
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    writeFileSync(join(staging, "genesis.json"), genesis);
    writeFileSync(join(staging, PERMISSIONS_FILE), permissions);
    writeFileSync(join(staging, "network.json"), JSON.stringify(publicSummary(summary), null, 2) + "\n");
    writeFileSync(join(staging, "README.md"), operatorGuide(summary));
    for (const [i, node] of nodes.entries()) {
      const dir = join(staging, node.folder);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeNodeKey(dir, planned[i].key);
      writeFileSync(join(dir, "genesis.json"), genesis);
      writeFileSync(join(dir, PERMISSIONS_FILE), permissions);
      const bootnodes = validators.filter((v) => v.name !== node.name).map((v) => v.enode);
      writeFileSync(join(dir, "config.toml"), nodeConfigToml(node, bootnodes));
    }
    if (existsSync(out)) rmdirSync(out);
    renameSync(staging, out);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  return summary;
}

/** What may be shared with everyone: no key material beyond public keys. */
function publicSummary(s: ProfileSummary) {
  return {
    chainId: s.chainId,
    nodes: s.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address, enode: n.enode, rpc: `http://${n.rpcHost}:${n.rpcPort}`, folder: n.folder })),
    accountsAllowlist: s.accountsAllowlist,
  };
}
