/**
 * A council member's own key, from a file only its owner can read. Never the relay's keystore: a
 * council key signs council decisions and nothing else, so whoever holds a relay host does not
 * hold a vote.
 */
import { readFileSync, statSync } from "node:fs";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Hex } from "viem";
import { CouncilToolError } from "./errors";

const KEY = /^(0x)?[0-9a-fA-F]{64}$/;

/** Reads the key; refuses a file the group or others may read or write (it must be 0600 or stricter). */
export function readMemberKey(path: string): PrivateKeyAccount {
  let mode: number;
  let text: string;
  try {
    mode = statSync(path).mode;
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    throw new CouncilToolError("KEY_FILE", `cannot read the key file ${path}: ${(error as Error).message}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new CouncilToolError("KEY_FILE", `${path} can be read by other users (mode ${(mode & 0o777).toString(8)}): chmod 600 it, and consider the key exposed`);
  }
  if (!KEY.test(text)) throw new CouncilToolError("KEY_FILE", `${path} does not hold a 32-byte hex private key`);
  return privateKeyToAccount((text.startsWith("0x") ? text : `0x${text}`) as Hex);
}
