/**
 * Passkey accounts, rebuilt from the registry's events: which credential (P-256 key) belongs to
 * which account and whether it may sign, at each point of the history. Every assertion the
 * registry accepted (`PasskeyAssertionVerified`) is verified again here, the P-256 signature
 * included (WebCrypto, asynchronously: {@link PasskeyBook.settle}), and every intent that spends
 * from a passkey account must come with an assertion the ledger asked for in the same transaction.
 * With that, the balance, agreement and nonce checks (I2-I4) cover passkey accounts as they cover
 * ECDSA ones. The intent's own fields are not all in its event (the deadline and minimum are not),
 * so the digest is checked against the client data, not rebuilt from the intent.
 */
import type { Hex } from "viem";
import type * as E from "../events";
import type { ViolationLog } from "../violations";
import { passkeyAccountOf, passkeyKeyId } from "../../resident/passkeys/publicKey";
import { verifyPasskeyAssertion } from "../../resident/passkeys/verify";

type Status = "active" | "revoked" | "proposed";

interface Credential {
  account: E.Addr;
  x: Hex;
  y: Hex;
  status: Status;
}

/** An assertion the ledger had verified, waiting for the intent event that follows it in its transaction. */
interface PendingAssertion {
  account: E.Addr;
  at: E.PasskeyAssertionVerified;
}

export class PasskeyBook {
  readonly credentials = new Map<Hex, Credential>();
  /** Accounts created by a registration, with their active credential count. */
  readonly accounts = new Map<E.Addr, number>();
  assertionsVerified = 0;
  intentsAuthorised = 0;
  private verifications: Promise<void>[] = [];
  private pendingTx: Hex | undefined;
  private pending: PendingAssertion[] = [];
  /** Assertions by credential in the current transaction (credential changes name the one that signed). */
  private signedInTx = new Set<Hex>();

  constructor(
    private readonly violations: ViolationLog,
    private readonly ledger: E.Addr | undefined,
  ) {}

  /** Folds a registry event; false for events of other contracts. */
  apply(e: E.AuditEvent): boolean {
    switch (e.name) {
      case "CredentialAdded":
        this.added(e);
        return true;
      case "CredentialRevoked":
        this.revoked(e);
        return true;
      case "PasskeyAssertionVerified":
        this.asserted(e);
        return true;
      case "RecoveryProposed":
        this.newKey(e, e.args.keyId, e.args.qx, e.args.qy, e.args.account, "proposed");
        return true;
      case "RecoveryCancelled": {
        const c = this.credentials.get(e.args.keyId);
        if (c?.status === "proposed") this.credentials.delete(e.args.keyId);
        if (e.args.byKeyId !== ZERO) this.requireSigned(e, e.args.account, e.args.byKeyId, "cancelled a recovery");
        return true;
      }
      case "RecoveryExecuted":
      case "RecoveryAgentSet":
      case "PasskeyAccountsConfigured":
        return true;
      default:
        return false;
    }
  }

  /** Whether an address is a passkey account (then only its credentials may spend from it). */
  isPasskeyAccount(address: E.Addr): boolean {
    return this.accounts.has(address);
  }

  /**
   * A ledger intent spending from `resident`: for a passkey account it must follow an assertion
   * the ledger had the registry verify for that account in the same transaction.
   */
  spend(e: E.EventPosition & { name: string }, resident: E.Addr): void {
    if (!this.isPasskeyAccount(resident)) return;
    this.enterTx(e.transactionHash);
    const i = this.pending.findIndex((p) => p.account === resident && p.at.logIndex < e.logIndex);
    if (i < 0) {
      this.violations.add("RULE", "PASSKEY_INTENT_UNAUTHORISED", `${e.name} spent from passkey account ${resident} without an assertion of one of its credentials.`, e, { resident });
      return;
    }
    this.pending.splice(i, 1);
    this.intentsAuthorised++;
  }

  /** Waits for the signature verifications started so far. */
  async settle(): Promise<void> {
    const running = this.verifications;
    this.verifications = [];
    await Promise.all(running);
  }

  private enterTx(hash: Hex): void {
    if (hash === this.pendingTx) return;
    this.pendingTx = hash;
    this.pending = [];
    this.signedInTx = new Set();
  }

  private added(e: E.CredentialAdded): void {
    const { account, keyId, qx, qy, authorisedBy } = e.args;
    const reserved = this.credentials.get(keyId);
    if (reserved?.status === "proposed" && reserved.account === account && authorisedBy === ZERO) {
      reserved.status = "active"; // a recovery carried out
      this.accounts.set(account, (this.accounts.get(account) ?? 0) + 1);
      return;
    }
    if (!this.newKey(e, keyId, qx, qy, account, "active")) return;
    if (authorisedBy === ZERO) {
      if (this.accounts.has(account) || passkeyAccountOf({ x: qx, y: qy }).toLowerCase() !== account) {
        this.violations.add("RULE", "PASSKEY_ACCOUNT_MISMATCH", `Credential ${keyId} was registered for ${account}, which is not the account its key gives (or already existed).`, e, { account, keyId });
      }
    } else {
      this.requireSigned(e, account, authorisedBy, "added a credential");
    }
    this.accounts.set(account, (this.accounts.get(account) ?? 0) + 1);
  }

  private revoked(e: E.CredentialRevoked): void {
    const { account, keyId, authorisedBy } = e.args;
    const c = this.credentials.get(keyId);
    if (!c || c.account !== account || c.status !== "active") {
      this.violations.add("RULE", "PASSKEY_CREDENTIAL_NOT_ACTIVE", `Credential ${keyId} was revoked from ${account} without being one of its active credentials.`, e, { account, keyId });
      return;
    }
    if (authorisedBy !== ZERO) this.requireSigned(e, account, authorisedBy, "revoked a credential");
    c.status = "revoked";
    this.accounts.set(account, (this.accounts.get(account) ?? 1) - 1);
  }

  private asserted(e: E.PasskeyAssertionVerified): void {
    const { account, keyId, caller, digest } = e.args;
    this.enterTx(e.transactionHash);
    this.assertionsVerified++;
    const c = this.credentials.get(keyId);
    if (!c || c.account !== account || c.status !== "active") {
      this.violations.add("RULE", "PASSKEY_CREDENTIAL_NOT_ACTIVE", `An assertion for ${account} was accepted from credential ${keyId}, not one of its active credentials.`, e, { account, keyId });
      return;
    }
    this.signedInTx.add(keyId);
    if (this.ledger !== undefined && caller === this.ledger) this.pending.push({ account, at: e });

    const clientDataJSON = e.args.clientDataJSON;
    const assertion = {
      publicKey: { x: c.x, y: c.y },
      authenticatorData: e.args.authenticatorData,
      clientDataJSON,
      challengeIndex: byteIndex(clientDataJSON, '"challenge":"'),
      typeIndex: byteIndex(clientDataJSON, '"type":"'),
      r: e.args.r,
      s: e.args.s,
    };
    this.verifications.push(
      verifyPasskeyAssertion(assertion, { challenge: digest }).then((result) => {
        if (result.valid) return;
        this.violations.add("RULE", "PASSKEY_SIGNATURE_INVALID", `An assertion the registry accepted for ${account} does not verify: ${result.message} (${result.reason}).`, e, { account, keyId, reason: result.reason });
      }),
    );
  }

  /** A new key: false (with a violation) if the key was ever seen before. */
  private newKey(e: E.EventPosition, keyId: Hex, x: Hex, y: Hex, account: E.Addr, status: Status): boolean {
    if (passkeyKeyId({ x, y }) !== keyId) {
      this.violations.add("RULE", "PASSKEY_KEY_ID_MISMATCH", `Credential ${keyId} of ${account} is not the key id of its public key.`, e, { account, keyId });
    }
    if (this.credentials.has(keyId)) {
      this.violations.add("RULE", "PASSKEY_KEY_REUSED", `Key ${keyId} joined ${account} but was already registered.`, e, { account, keyId });
      return false;
    }
    this.credentials.set(keyId, { account, x, y, status });
    return true;
  }

  /** A credential change must be signed, earlier in its transaction, by the credential it names. */
  private requireSigned(e: E.EventPosition, account: E.Addr, keyId: Hex, what: string): void {
    this.enterTx(e.transactionHash);
    if (this.signedInTx.has(keyId) && this.credentials.get(keyId)?.account === account) return;
    this.violations.add("RULE", "PASSKEY_CHANGE_UNAUTHORISED", `Credential ${keyId} ${what} of ${account} without an accepted assertion of it.`, e, { account, keyId });
  }
}

const ZERO = ("0x" + "0".repeat(64)) as Hex;

/** The UTF-8 byte offset of `needle` in `text` (the registry counts bytes), -1 if absent. */
function byteIndex(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? -1 : new TextEncoder().encode(text.slice(0, at)).length;
}
