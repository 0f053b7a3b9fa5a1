/**
 * Where the deployer's key comes from: a file named on the command line, a file named by an environment
 * variable, or the environment variable itself. Never from code, never printed.
 */
import { readFileSync, statSync } from "node:fs";
import { Wallet } from "ethers";
import { NetworkToolError } from "./errors";

export interface KeySources {
  /** --deployer-key-file */
  file?: string;
  /** Name of the variable holding a key file's path. */
  fileEnv: string;
  /** Name of the variable holding the key itself. */
  keyEnv: string;
  env?: NodeJS.ProcessEnv;
  /** Told when a key file can be read by other users of the machine. */
  warn?: (line: string) => void;
}

const KEY = /^(0x)?[0-9a-fA-F]{64}$/;

function parseKey(text: string, source: string): Wallet {
  const key = text.trim();
  if (!KEY.test(key)) throw new NetworkToolError("MISSING_KEY", `${source} does not hold a 32-byte hex private key`, { source });
  return new Wallet(key.startsWith("0x") ? key : `0x${key}`);
}

function readKeyFile(path: string, warn?: (line: string) => void): Wallet {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new NetworkToolError("MISSING_KEY", `cannot read the deployer key file ${path}: ${(cause as Error).message}`, { path }, { cause });
  }
  if ((statSync(path).mode & 0o077) !== 0) warn?.(`warning: ${path} can be read by other users; chmod 600 it`);
  return parseKey(text, path);
}

/** The deployer's wallet, or undefined when no source is given. */
export function findDeployerKey(sources: KeySources): Wallet | undefined {
  const env = sources.env ?? process.env;
  if (sources.file) return readKeyFile(sources.file, sources.warn);
  const fromEnvFile = env[sources.fileEnv];
  if (fromEnvFile) return readKeyFile(fromEnvFile, sources.warn);
  const fromEnv = env[sources.keyEnv];
  if (fromEnv) return parseKey(fromEnv, `$${sources.keyEnv}`);
  return undefined;
}

export function requireDeployerKey(sources: KeySources): Wallet {
  const wallet = findDeployerKey(sources);
  if (!wallet) {
    throw new NetworkToolError(
      "MISSING_KEY",
      `no deployer key: pass --deployer-key-file FILE, or set ${sources.fileEnv} to a key file, or ${sources.keyEnv} to the key`,
    );
  }
  return wallet;
}
