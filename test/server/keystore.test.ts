/**
 * Loading the keystore (server/keystore.ts): each agency's name and key id must be its own, since a
 * name owns the agency's operations and event stream; the refusal names every repeat.
 */
import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Deployment } from "../../sdk/src/deployment";
import { seal } from "../../server/auth/secretBox";
import { ConfigError } from "../../server/errors";
import { KEYSTORE_FORMAT, loadKeystore, type KeystoreFile } from "../../server/keystore";

describe("relay: the keystore", () => {
  const master = randomBytes(32);
  const keys = [generatePrivateKey(), generatePrivateKey(), generatePrivateKey()];
  // Only the domains' agencies are read from the deployment record here.
  const deployment = { domains: keys.map((k, i) => ({ id: i + 1, agency: privateKeyToAccount(k).address })) } as unknown as Deployment;

  function write(agencies: { name: string; keyId: string }[]): string {
    const file: KeystoreFile = {
      format: KEYSTORE_FORMAT,
      relayer: { privateKey: seal(master, generatePrivateKey()) },
      agencies: agencies.map((a, i) => ({ ...a, domainId: i + 1, secret: seal(master, randomBytes(32).toString("hex")), privateKey: seal(master, keys[i]) })),
    };
    const path = join(mkdtempSync(join(tmpdir(), "keystore-")), "keystore.json");
    writeFileSync(path, JSON.stringify(file));
    return path;
  }

  it("loads agencies with names and key ids of their own", () => {
    const keystore = loadKeystore(write([{ name: "volunteer", keyId: "volunteer-key-1" }, { name: "transport", keyId: "transport-key-1" }]), master, deployment);
    expect(keystore.agencies.map((a) => [a.name, a.domainId, a.account.address])).to.deep.equal([
      ["volunteer", 1, privateKeyToAccount(keys[0]).address],
      ["transport", 2, privateKeyToAccount(keys[1]).address],
    ]);
  });

  it("refuses two agencies under one name, naming it", () => {
    const path = write([
      { name: "volunteer", keyId: "volunteer-key-1" },
      { name: "transport", keyId: "transport-key-1" },
      { name: "volunteer", keyId: "volunteer-key-2" },
    ]);
    let error: unknown;
    try {
      loadKeystore(path, master, deployment);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).problems).to.deep.equal([`KEYSTORE_FILE ${path}: agency volunteer: the name is given to another agency too; each agency needs its own name`]);
  });

  it("refuses a key id given twice", () => {
    const path = write([
      { name: "volunteer", keyId: "shared-key-id" },
      { name: "transport", keyId: "shared-key-id" },
    ]);
    expect(() => loadKeystore(path, master, deployment)).to.throw(ConfigError, "agency transport: key id repeats another agency's");
  });
});
