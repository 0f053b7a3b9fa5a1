/**
 * Passkey accounts: registering a credential as the first of its account (anyone may; the account
 * follows from the key, so a registration can only create the key holder's own account), and
 * reading an account's credentials and pending recovery. Checked before anything is journaled:
 * a key on the P-256 curve, never registered before.
 */
import { bytesToHex, type Address } from "viem";
import type { PasskeyAccountState } from "../../sdk/src/resident/passkeys/reads";
import { fromBase64Url } from "../../sdk/src/resident/passkeys/base64url";
import { isP256Point, passkeyAccountOf, passkeyKeyId } from "../../sdk/src/resident/passkeys/publicKey";
import type { PasskeyRegistrationRequest } from "../../sdk/src/wire/passkeys";
import { ChainUnreachableError } from "../chain/gateway";
import type { PasskeyReads } from "../chain/passkeyReads";
import { ConflictError, InvalidRequestError } from "../errors";
import type { OperationRecord } from "../store/journal";
import { newOperationId, type Intake, type WriteRequest } from "./intake";
import type { AssistedAt } from "./intents";
import { enrolmentHash } from "../../sdk/src/stations/stamp";

export class PasskeyService {
  constructor(
    private readonly relayer: Address,
    private readonly intake: Intake,
    private readonly reads: PasskeyReads,
  ) {}

  /** The account a registration creates: for the route's idempotency scope. */
  accountOf(request: PasskeyRegistrationRequest): Address {
    return passkeyAccountOf(request.publicKey);
  }

  /** A registration; `assisted`, for a new card enrolled at a station (CommunityStations.enrolAssisted). */
  async register(write: WriteRequest, request: PasskeyRegistrationRequest, assisted?: AssistedAt): Promise<OperationRecord> {
    const { publicKey } = request;
    return this.intake.acceptOne(write, async () => {
      if (!isP256Point(publicKey)) {
        throw new InvalidRequestError("the public key is not a point of the P-256 curve", { details: [{ path: "body.publicKey", message: "not on P-256" }] });
      }
      const keyId = passkeyKeyId(publicKey);
      let existing: { account: Address; status: string } | undefined;
      try {
        existing = await this.reads.credential(keyId);
      } catch (error) {
        if (!(error instanceof ChainUnreachableError)) throw error; // the chain decides later
      }
      if (existing && existing.status !== "none") {
        throw new ConflictError("this passkey is already registered", { details: { keyId, account: existing.account, status: existing.status } });
      }
      const credentialId = bytesToHex(fromBase64Url(request.credentialId));
      if (assisted) {
        const station = await assisted.stations.checkStamp(assisted.stationId, "enrolment", enrolmentHash(publicKey, credentialId), assisted.staff);
        return { id: newOperationId(), kind: "station.enrol", payload: { qx: publicKey.x, qy: publicKey.y, credentialId, station }, signer: this.relayer };
      }
      return { id: newOperationId(), kind: "passkey.register", payload: { qx: publicKey.x, qy: publicKey.y, credentialId }, signer: this.relayer };
    });
  }

  /** An account's active credentials, change nonce and pending recovery, as the API shows them. */
  async account(account: Address) {
    const state: PasskeyAccountState = await this.reads.account(account);
    return {
      account: state.account.toLowerCase(),
      credentials: state.credentials,
      changeNonce: state.changeNonce.toString(),
      ...(state.recovery ? { recovery: { ...state.recovery, proposer: state.recovery.proposer.toLowerCase(), readyAt: Number(state.recovery.readyAt) } } : {}),
    };
  }
}
