/**
 * Residents' intents, exchange and redemption: a redemption submitted by its domain's agency (a
 * signed request carrying the resident's signed intent) or by the resident's app, an exchange by
 * the resident's app. Each is checked before it is accepted: the EIP-712 signature must recover to
 * the resident with a low s (as the ledger requires) or, for a passkey account, the WebAuthn
 * assertion must verify over the intent's digest (with the registry's reasons) and come from an
 * active credential of the resident; the resident must be within their rate limit, the deadline
 * must lie ahead, and the nonce must be the resident's next one in the
 * spending domain, counting intents already journaled and not yet on chain. The relayer key
 * submits them (free gas).
 */
import type { Address, Hex } from "viem";
import type { ExchangeIntent, IntentMessages, RedeemIntent } from "../../sdk/src/eip712";
import { InvalidSignatureError } from "../../sdk/src/errors/intent";
import { recoverIntentSigner } from "../../sdk/src/resident/verify";
import { intentDigest } from "../../sdk/src/resident/passkeys/sign";
import { passkeyKeyId } from "../../sdk/src/resident/passkeys/publicKey";
import { verifyPasskeyAssertion } from "../../sdk/src/resident/passkeys/verify";
import type { PasskeyAssertion } from "../../sdk/src/resident/passkeys/assertion";
import { intentToWire, type ExchangeRequest, type IntentAuthorisation, type RedeemRequest } from "../../sdk/src/wire/intents";
import { ChainUnreachableError } from "../chain/gateway";
import type { LedgerReads } from "../chain/ledgerReads";
import type { PasskeyReads } from "../chain/passkeyReads";
import { ConflictError, ForbiddenError, InvalidRequestError, RateLimitedError, UnauthenticatedError } from "../errors";
import type { WindowLimiter } from "../http/windowLimiter";
import type { Agency } from "../keystore";
import type { OperationPayload, TypedNewOperation } from "../payloads";
import type { OperationRecord, OperationStore } from "../store/journal";
import { newOperationId, type Intake, type WriteRequest } from "./intake";
import type { StationService } from "./stations";
import type { StaffStamp } from "../../sdk/src/wire/stations";

/** An operation done at a community station: its station and the staff member's stamp (services/stations.ts checks it). */
export interface AssistedAt {
  stationId: number;
  staff: StaffStamp;
  stations: StationService;
}

export class IntentService {
  constructor(
    private readonly chainId: number,
    private readonly ledger: Address,
    private readonly relayer: Address,
    private readonly intake: Intake,
    private readonly reads: LedgerReads,
    private readonly passkeys: PasskeyReads,
    private readonly operations: OperationStore,
    /** Signed intents per resident per minute, counted once the signature is checked. */
    private readonly residentLimit: WindowLimiter,
  ) {}

  /** A resident's redemption at a partner; `agency`, when its domain's agency submits it; `assisted`, when done at a station. */
  async redeem(write: WriteRequest, request: RedeemRequest, agency?: Agency, assisted?: AssistedAt): Promise<OperationRecord> {
    const { intent } = request;
    if (agency && intent.domainId !== agency.domainId) {
      throw new ForbiddenError(`agency ${agency.name} redeems only in domain ${agency.domainId}`, { details: { domainId: intent.domainId } });
    }
    return this.intake.acceptOne(write, async () => {
      const authorisation = await this.checkAuthorisation("RedeemIntent", intent, request);
      this.checkRate(intent.resident);
      this.checkDeadline(intent.deadline);
      await this.checkNonce(intent.resident, intent.domainId, intent.nonce);
      if (assisted && authorisation.passkey) {
        const station = await assisted.stations.checkStamp(assisted.stationId, "redemption", this.digest("RedeemIntent", intent), assisted.staff);
        return this.operation({ kind: "station.redeem", payload: { intent: intentToWire(intent), passkey: authorisation.passkey, station } }, intent, intent.domainId, agency);
      }
      return this.operation({ kind: "redeem", payload: { intent: intentToWire(intent), ...authorisation } }, intent, intent.domainId, agency);
    });
  }

  /** A resident's exchange from one domain's points into another's; `assisted`, when done at a station. */
  async exchange(write: WriteRequest, request: ExchangeRequest, assisted?: AssistedAt): Promise<OperationRecord> {
    const { intent } = request;
    return this.intake.acceptOne(write, async () => {
      const authorisation = await this.checkAuthorisation("ExchangeIntent", intent, request);
      this.checkRate(intent.resident);
      if (intent.fromDomain === intent.toDomain) {
        throw new InvalidRequestError("an exchange needs two different domains", { details: [{ path: "body.intent.toDomain", message: "must differ from fromDomain" }] });
      }
      this.checkDeadline(intent.deadline);
      await this.checkNonce(intent.resident, intent.fromDomain, intent.nonce);
      if (assisted && authorisation.passkey) {
        const station = await assisted.stations.checkStamp(assisted.stationId, "exchange", this.digest("ExchangeIntent", intent), assisted.staff);
        return this.operation({ kind: "station.exchange", payload: { intent: intentToWire(intent), passkey: authorisation.passkey, station } }, intent, intent.fromDomain);
      }
      return this.operation({ kind: "exchange", payload: { intent: intentToWire(intent), ...authorisation } }, intent, intent.fromDomain);
    });
  }

  private operation(
    call: Extract<OperationPayload, { kind: "redeem" | "exchange" | "station.redeem" | "station.exchange" }>,
    intent: ExchangeIntent | RedeemIntent,
    domainId: number,
    agency?: Agency,
  ): TypedNewOperation {
    return {
      id: newOperationId(),
      ...call,
      agency: agency?.name,
      signer: this.relayer,
      domainId,
      intent: { resident: intent.resident, domainId, nonce: intent.nonce },
    };
  }

  /** The intent's EIP-712 digest under the ledger: what a passkey signs, and what a station's stamp names. */
  private digest<K extends "ExchangeIntent" | "RedeemIntent">(kind: K, message: IntentMessages[K]): Hex {
    return intentDigest(kind, message, { chainId: this.chainId, address: this.ledger });
  }

  /** The request's signature or passkey assertion, checked; what the journal keeps of it. */
  private async checkAuthorisation<K extends "ExchangeIntent" | "RedeemIntent">(
    kind: K,
    message: IntentMessages[K],
    request: IntentAuthorisation,
  ): Promise<IntentAuthorisation> {
    if (request.passkey) {
      await this.checkPasskey(kind, message, request.passkey, message.resident);
      return { passkey: request.passkey };
    }
    await this.checkSignature(kind, message, request.signature, message.resident);
    return { signature: request.signature };
  }

  /**
   * The assertion as the registry would check it (flags, type, challenge, low s, the P-256
   * signature), then its credential: an active one of the resident. The registry decides again on
   * chain; a node that cannot be reached leaves the credential check to it.
   */
  private async checkPasskey<K extends "ExchangeIntent" | "RedeemIntent">(kind: K, message: IntentMessages[K], assertion: PasskeyAssertion, resident: Address): Promise<void> {
    const challenge = this.digest(kind, message);
    const verdict = await verifyPasskeyAssertion(assertion, { challenge });
    if (!verdict.valid) {
      throw new UnauthenticatedError(`the passkey assertion is refused: ${verdict.message}`, { details: [{ path: "body.passkey", message: verdict.reason }] });
    }
    const keyId = passkeyKeyId(assertion.publicKey);
    let credential: { account: Address; status: string } | undefined;
    try {
      credential = await this.passkeys.credential(keyId);
    } catch (error) {
      if (!(error instanceof ChainUnreachableError)) throw error;
    }
    if (credential && (credential.status !== "active" || credential.account.toLowerCase() !== resident.toLowerCase())) {
      const why = credential.status === "none" ? "is not registered" : credential.status !== "active" ? `is ${credential.status}` : "belongs to another account";
      throw new UnauthenticatedError(`the passkey ${why}: it cannot sign for intent.resident`, { details: [{ path: "body.passkey.publicKey", message: `credential ${keyId} ${why}` }] });
    }
  }

  /**
   * The signer must be the resident, and s must be low: the ledger refuses a high-s signature
   * (OpenZeppelin's ECDSA), so accepting its malleable twin here would let anyone who saw a
   * resident's signature journal an intent that can only fail, holding the resident's nonce.
   */
  private async checkSignature<K extends "ExchangeIntent" | "RedeemIntent">(kind: K, message: IntentMessages[K], signature: Hex, resident: Address): Promise<void> {
    let signer: Address;
    try {
      signer = await recoverIntentSigner(kind, message, signature, { chainId: this.chainId, address: this.ledger });
    } catch (error) {
      const highS = error instanceof InvalidSignatureError && (error.details as { s?: string } | undefined)?.s !== undefined;
      throw new UnauthenticatedError(highS ? "the intent's signature has a high s value (malleable); the ledger accepts only low-s signatures" : "the intent's signature is malformed", {
        cause: error,
        details: [{ path: "body.signature", message: highS ? "high s" : "cannot be recovered" }],
      });
    }
    if (signer.toLowerCase() !== resident.toLowerCase()) {
      throw new UnauthenticatedError("the intent is not signed by its resident", { details: [{ path: "body.signature", message: "signer differs from intent.resident" }] });
    }
  }

  /** Counted only for an intent its resident signed, so nobody can spend another resident's allowance. */
  private checkRate(resident: Address): void {
    const verdict = this.residentLimit.take(resident.toLowerCase());
    if (!verdict.allowed) {
      throw new RateLimitedError(`too many intents from this resident: at most ${this.residentLimit.limit} per minute`, {
        retryAfterSeconds: verdict.retryAfterSeconds,
        details: { limitPerMinute: this.residentLimit.limit },
      });
    }
  }

  private checkDeadline(deadline: bigint): void {
    if (deadline <= BigInt(Math.floor(Date.now() / 1000))) {
      throw new InvalidRequestError("the intent's deadline has passed", { details: [{ path: "body.intent.deadline", message: "must be in the future" }] });
    }
  }

  private async checkNonce(resident: Address, domainId: number, nonce: bigint): Promise<void> {
    const pending = await this.operations.pendingIntentNonce(resident, domainId);
    let onChain: bigint | undefined;
    try {
      onChain = await this.reads.intentNonce(resident, domainId);
    } catch (error) {
      // The node could not answer: the journal's view decides now, the ledger's nonce check later.
      if (!(error instanceof ChainUnreachableError)) throw error;
    }
    const candidates = [onChain, pending === undefined ? undefined : pending + 1n].filter((n): n is bigint => n !== undefined);
    if (candidates.length === 0) return; // chain down and nothing journaled: the chain decides later
    const expected = candidates.reduce((a, b) => (a > b ? a : b));
    if (nonce < expected) throw new ConflictError("this intent's nonce was already used", { details: { nonce: nonce.toString(), expected: expected.toString() } });
    if (nonce > expected) {
      throw new ConflictError("this intent's nonce is ahead of the resident's next one", { details: { nonce: nonce.toString(), expected: expected.toString() } });
    }
  }
}
