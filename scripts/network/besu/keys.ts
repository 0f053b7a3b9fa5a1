/**
 * Node keys generated on this machine (secp256k1, node's crypto), written as Besu reads them: the `key`
 * file holds the private key as 0x-hex (the format Besu itself writes), readable by its owner only.
 * Besu docs: public-networks/concepts/node-keys (node private key, node address, enode URL).
 */
import { createECDH } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { computeAddress } from "ethers";

export interface NodeKey {
  /** 0x-hex, 32 bytes. Written to `key` (mode 0600) and never printed. */
  privateKey: string;
  /** The node id: the uncompressed public key without its 0x04 prefix, 64 bytes as 128 hex digits. */
  nodeId: string;
  /** Validator address: the last 20 bytes of keccak256 of the public key. */
  address: string;
}

export function generateNodeKey(): NodeKey {
  const ecdh = createECDH("secp256k1");
  ecdh.generateKeys();
  const publicKey = ecdh.getPublicKey("hex", "uncompressed");
  return {
    privateKey: "0x" + ecdh.getPrivateKey("hex").padStart(64, "0"),
    nodeId: publicKey.slice(2),
    address: computeAddress("0x" + publicKey),
  };
}

/** `enode://<node id>@<host>:<port>` (Besu docs: node-keys, "Enode URL"). */
export function enodeUrl(key: NodeKey, host: string, port: number): string {
  return `enode://${key.nodeId}@${host}:${port}`;
}

/** Writes `key` (owner read/write only) and `key.pub` (public) into a node's folder. */
export function writeNodeKey(dir: string, key: NodeKey): void {
  writeFileSync(join(dir, "key"), key.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, "key.pub"), "0x" + key.nodeId + "\n", { mode: 0o644 });
}
