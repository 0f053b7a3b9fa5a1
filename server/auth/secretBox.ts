/**
 * Secrets at rest (agencies' API secrets, signing keys, webhook secrets) are AES-256-GCM encrypted
 * under the relay's master key: "v1.<iv>.<tag>.<ciphertext>", base64url parts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export function parseMasterKey(hex: string): Buffer {
  const clean = hex.trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw new Error("the master key must be 32 bytes of hex");
  return Buffer.from(clean, "hex");
}

export function seal(masterKey: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function open(masterKey: Buffer, sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== "v1") throw new Error("not a sealed secret (expected v1.<iv>.<tag>.<data>)");
  const decipher = createDecipheriv("aes-256-gcm", masterKey, Buffer.from(parts[1], "base64url"));
  decipher.setAuthTag(Buffer.from(parts[2], "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(parts[3], "base64url")), decipher.final()]).toString("utf8");
}
