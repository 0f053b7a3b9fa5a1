/**
 * The browser side of test/browser/passkeys.test.ts (bundled by helpers/browser.ts): a resident app reduced to what the passkey
 * flow needs, using the SDK's passkey code from sdk/src as a web app would. The test calls these
 * through `page.evaluate`; values cross as JSON (bigints as decimal strings).
 */
import { encodePasskeyAssertion, createPasskey, signCredentialChangeWithPasskey, signIntentWithPasskey, type CreatedPasskey, type PasskeyKind } from "../../../../sdk/src/resident/passkeys";
import type { CredentialChangeKind, CredentialChangeMessages } from "../../../../sdk/src/resident/passkeys";
import type { ExchangeIntent, RedeemIntent } from "../../../../sdk/src/eip712";
import { intentFromWire, type WireIntent } from "../../../../sdk/src/wire/intents";

// The browser's globals this page uses (the project's TypeScript has no DOM library).
declare const location: { hostname: string };
declare const localStorage: { length: number };
declare const sessionStorage: { length: number };

type Contract = { chainId: number; address: `0x${string}` };

async function post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": crypto.randomUUID() }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

const city = {
  create: (kind: PasskeyKind) => createPasskey({ rp: { id: location.hostname, name: "City points" }, kind, user: { name: kind === "phone" ? "my phone" : "my card" } }),

  register: (passkey: CreatedPasskey) => post("/v1/resident/passkeys", { publicKey: passkey.publicKey, credentialId: passkey.credentialId }),

  async exchange(passkey: CreatedPasskey, intent: WireIntent<ExchangeIntent>, ledger: Contract) {
    const signed = await signIntentWithPasskey("ExchangeIntent", intentFromWire<ExchangeIntent>(intent), ledger, { credential: passkey });
    return post("/v1/exchanges", { intent, passkey: signed.passkey });
  },

  async redeem(passkey: CreatedPasskey, intent: WireIntent<RedeemIntent>, ledger: Contract) {
    const signed = await signIntentWithPasskey("RedeemIntent", intentFromWire<RedeemIntent>(intent), ledger, { credential: passkey });
    return post("/v1/resident/redemptions", { intent, passkey: signed.passkey });
  },

  /** A credential change signed by `passkey`, ABI-encoded for the registry (the test submits it). */
  async signChange<K extends CredentialChangeKind>(passkey: CreatedPasskey, kind: K, message: WireIntent<CredentialChangeMessages[K]>, registry: Contract) {
    const signed = await signCredentialChangeWithPasskey(kind, intentFromWire<CredentialChangeMessages[K]>(message as never), registry, { credential: passkey });
    return encodePasskeyAssertion(signed.passkey);
  },

  /** What the page keeps in the browser's storage: nothing. */
  storage: () => ({ local: localStorage.length, session: sessionStorage.length }),
};

(globalThis as unknown as { city: typeof city }).city = city;
