/**
 * One node's Besu configuration file (TOML; keys are the command line options without "--"). Besu docs:
 * public-networks/reference/cli/options and private-networks/reference/cli/options. Every path is
 * relative to the node's own folder, so an agency runs its node from that folder alone.
 */
import { toToml, type TomlValue } from "./toml";

export interface NodePlan {
  name: string;
  role: "validator" | "auditor";
  p2pHost: string;
  p2pPort: number;
  rpcHost: string;
  rpcPort: number;
  enode: string;
}

export const PERMISSIONS_FILE = "permissions_config.toml";

export function nodeConfigToml(node: NodePlan, bootnodes: string[]): string {
  const entries: Record<string, TomlValue> = {
    "data-path": "data",
    "genesis-file": "genesis.json",
    "node-private-key-file": "key",
    identity: node.name,
    "p2p-host": node.p2pHost,
    "p2p-port": node.p2pPort,
    bootnodes,
    // Free gas: a node with a higher minimum silently drops zero-price transactions.
    "min-gas-price": 0,
    "rpc-http-enabled": true,
    // Bound to the host: the agency's relay (or the auditor) runs beside its node.
    "rpc-http-host": node.rpcHost,
    "rpc-http-port": node.rpcPort,
    "rpc-http-api": node.role === "validator" ? ["ETH", "NET", "WEB3", "QBFT", "PERM", "ADMIN"] : ["ETH", "NET", "WEB3", "QBFT"],
    "host-allowlist": ["localhost", "127.0.0.1"],
    "permissions-nodes-config-file-enabled": true,
    "permissions-nodes-config-file": PERMISSIONS_FILE,
    "permissions-accounts-config-file-enabled": true,
    "permissions-accounts-config-file": PERMISSIONS_FILE,
  };
  return toToml(entries, [`Besu ${node.role} node "${node.name}" of the city points network.`, "Start it from this folder: besu --config-file=config.toml"]);
}

/** The allowlists, the same on every node (Besu recommends identical lists): the nodes by enode URL, the accounts that may send transactions. */
export function permissionsToml(nodes: string[], accounts: string[]): string {
  return toToml({ "accounts-allowlist": accounts, "nodes-allowlist": nodes }, ["Local permissioning: only these nodes may connect, only these accounts may send transactions."]);
}
