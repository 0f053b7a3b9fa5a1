/**
 * The relay's keystore: per agency its domain, API key id, and (sealed) API secret, signing key and
 * optional webhook; plus the relayer key that submits residents' intents. Loaded and checked once.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { privateKeyToAccount, type LocalAccount } from "viem/accounts";
import type { Hex } from "viem";
import { open, parseMasterKey } from "./auth/secretBox";
import { ConfigError } from "./errors";
import type { Deployment } from "../sdk/src/deployment";

export const KEYSTORE_FORMAT = "city-points-relay-keystore/1";

const sealed = z.string().regex(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/, "must be a sealed secret (v1.<iv>.<tag>.<data>)");

export const keystoreSchema = z.strictObject({
  format: z.literal(KEYSTORE_FORMAT),
  relayer: z.strictObject({ privateKey: sealed }),
  agencies: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z0-9-]{1,40}$/, "lowercase letters, digits and dashes"),
        domainId: z.number().int().positive(),
        keyId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "8-64 letters, digits, _ or -"),
        secret: sealed,
        privateKey: sealed,
        webhook: z.strictObject({ url: z.url(), secret: sealed }).optional(),
      }),
    )
    .min(1),
});
export type KeystoreFile = z.output<typeof keystoreSchema>;

export interface Agency {
  name: string;
  domainId: number;
  keyId: string;
  secret: string;
  account: LocalAccount;
  webhook?: { url: string; secret: string };
}

export interface Keystore {
  relayer: LocalAccount;
  agencies: Agency[];
  byKeyId: Map<string, Agency>;
}

export function readMasterKey(config: { RELAY_MASTER_KEY?: string; MASTER_KEY_FILE?: string }): Buffer {
  try {
    return parseMasterKey(config.RELAY_MASTER_KEY ?? readFileSync(config.MASTER_KEY_FILE!, "utf8"));
  } catch (error) {
    throw new ConfigError([`master key: ${(error as Error).message}`], { cause: error });
  }
}

/** Decrypts and checks the keystore against the deployment: each agency must be its domain's agency. */
export function loadKeystore(path: string, masterKey: Buffer, deployment: Deployment): Keystore {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError([`KEYSTORE_FILE ${path}: ${(error as Error).message}`], { cause: error });
  }
  const parsed = keystoreSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `KEYSTORE_FILE ${path}: ${i.path.join(".") || "(root)"}: ${i.message}`));
  }
  const unseal = (value: string, what: string) => {
    try {
      return open(masterKey, value);
    } catch (error) {
      throw new ConfigError([`KEYSTORE_FILE ${path}: cannot decrypt ${what} (wrong master key?)`], { cause: error });
    }
  };
  const problems: string[] = [];
  const agencies = parsed.data.agencies.map((a): Agency => {
    const account = privateKeyToAccount(unseal(a.privateKey, `${a.name}.privateKey`) as Hex);
    const domain = deployment.domains.find((d) => d.id === a.domainId);
    if (!domain) problems.push(`agency ${a.name}: domain ${a.domainId} is not in the deployment`);
    else if (domain.agency.toLowerCase() !== account.address.toLowerCase()) {
      problems.push(`agency ${a.name}: its key is not the agency of domain ${a.domainId} in the deployment`);
    }
    return {
      name: a.name,
      domainId: a.domainId,
      keyId: a.keyId,
      secret: unseal(a.secret, `${a.name}.secret`),
      account,
      webhook: a.webhook && { url: a.webhook.url, secret: unseal(a.webhook.secret, `${a.name}.webhook.secret`) },
    };
  });
  // An agency's name owns its operations and keys its event stream and webhook cursor: two agencies
  // under one name could read each other's operations and events.
  const keyIds = new Set<string>();
  const names = new Set<string>();
  for (const a of agencies) {
    if (keyIds.has(a.keyId)) problems.push(`agency ${a.name}: key id repeats another agency's`);
    if (names.has(a.name)) problems.push(`agency ${a.name}: the name is given to another agency too; each agency needs its own name`);
    keyIds.add(a.keyId);
    names.add(a.name);
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `KEYSTORE_FILE ${path}: ${p}`));
  return {
    relayer: privateKeyToAccount(unseal(parsed.data.relayer.privateKey, "relayer.privateKey") as Hex),
    agencies,
    byKeyId: new Map(agencies.map((a) => [a.keyId, a])),
  };
}
