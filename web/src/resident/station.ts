/**
 * A community station's terminal (docs/stations.md): the station and whether an account is its
 * staff, read from the relay; the staff member's stamp (their passkey's assertion of the SDK's
 * stationStampDigest for the chain's today); and the two operations a terminal does for a
 * resident, each signed by the resident's card first and stamped by the staff member second
 * (two button presses, one per prompt): a new card's enrolment and the payment of a partner's request.
 */
import {
  createPasskey,
  enrolmentHash,
  fromBase64Url,
  requestPasskeyAssertion,
  stationStampDigest,
  type AssistedKind,
  type CreatedPasskey,
  type PaymentRequest,
} from "@city-points/sdk/resident";
import { intentToWire, stationResponseSchema, stationStaffResponseSchema, type Operation } from "@city-points/sdk/wire";
import { bytesToHex, type Hex } from "viem";
import { getJson } from "../api/client";
import { signPayment } from "./intents";
import { RP_NAME, signIn, type ResidentSession } from "./passkey";
import { followOperation, getDeployment, postJson } from "./relay";

export const stationApi = {
  station: (id: number, signal?: AbortSignal) => getJson(`/v1/stations/${id}`, stationResponseSchema, signal),
  staff: (id: number, account: string) => getJson(`/v1/stations/${id}/staff/${account}`, stationStaffResponseSchema),
};

/** Thrown when the passkey that signed in is not (or no longer) staff of this station. */
export class NotStaffError extends Error {
  override readonly name = "NotStaffError";
}

/** Signs a staff member in with their own passkey (recovered as the wallet's sign-in is) and checks they are staff here. */
export async function staffSignIn(stationId: number): Promise<ResidentSession> {
  const session = await signIn();
  if (!(await stationApi.staff(stationId, session.account)).staff) throw new NotStaffError(`${session.account} is not staff of station ${stationId}`);
  return session;
}

/** The staff member's stamp on `operation`, for today as the chain counts it (the station read's day). */
async function stampOf(staff: ResidentSession, stationId: number, kind: AssistedKind, operation: Hex) {
  const [{ chainId }, station] = await Promise.all([getDeployment(), stationApi.station(stationId)]);
  const challenge = stationStampDigest({ stationId, kind, operation, day: BigInt(station.day) }, { chainId, address: station.contract as Hex });
  return { account: staff.account, passkey: await requestPasskeyAssertion({ challenge, credential: staff }) };
}

/**
 * A new card's passkey, made when the resident taps it. Enrolling it takes a second tap, the
 * staff's stamp (submitEnrolment): each WebAuthn prompt needs its own button press, and the
 * terminal shows whose turn it is.
 */
export function createCard(): Promise<CreatedPasskey> {
  return createPasskey({ rp: { id: window.location.hostname, name: RP_NAME }, kind: "card" });
}

/** Stamps the new card's enrolment with the staff's passkey and registers it; the new account is the resident's. */
export async function submitEnrolment(staff: ResidentSession, stationId: number, card: CreatedPasskey): Promise<ResidentSession> {
  const operation = enrolmentHash(card.publicKey, bytesToHex(fromBase64Url(card.credentialId)));
  const stamp = await stampOf(staff, stationId, "enrolment", operation);
  const op = await postJson(`/v1/stations/${stationId}/enrolments`, { publicKey: card.publicKey, credentialId: card.credentialId, staff: stamp }, `station-enrol-${card.keyId}`);
  await followOperation(op.id);
  return { account: card.account, publicKey: card.publicKey, credentialId: card.credentialId };
}

export type SignedPayment = Awaited<ReturnType<typeof signPayment>>;

/** Stamps a redemption the resident's card has signed (signPayment) and submits it at the station; followed until final. */
export async function submitPayment(staff: ResidentSession, stationId: number, signed: SignedPayment): Promise<Operation> {
  const stamp = await stampOf(staff, stationId, "redemption", signed.digest);
  const op = await postJson(`/v1/stations/${stationId}/redemptions`, { intent: intentToWire(signed.message), passkey: signed.passkey, staff: stamp }, `station-redeem-${signed.digest}`);
  return followOperation(op.id);
}
