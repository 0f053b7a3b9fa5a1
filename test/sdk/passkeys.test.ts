import { expect } from "chai";
import { bytesToHex, hexToBytes, keccak256, type Hex } from "viem";
import { SoftAuthenticator } from "../../scripts/lib/softAuthenticator";
import {
  checkPasskeyAssertion,
  createPasskey,
  InvalidPasskeyError,
  P256_N,
  passkeyAccountOf,
  publicKeyOfAttestation,
  requestPasskeyAssertion,
  verifyPasskeyAssertion,
  type PasskeyAssertion,
} from "../../sdk/src";

const ORIGIN = "https://points.city.test";
const RP = { id: "points.city.test", name: "City points" };
const CHALLENGE = keccak256("0x01");

/** A fresh credential on a software authenticator, and an assertion of CHALLENGE by it. */
async function signedBy(options: Partial<ConstructorParameters<typeof SoftAuthenticator>[0]> = {}) {
  const authenticator = new SoftAuthenticator({ origin: ORIGIN, ...options });
  const passkey = await createPasskey({ rp: RP, credentials: authenticator });
  const assertion = await requestPasskeyAssertion({ challenge: CHALLENGE, credential: passkey, credentials: authenticator });
  return { authenticator, passkey, assertion };
}

function withFlags(a: PasskeyAssertion, flags: number): PasskeyAssertion {
  const bytes = hexToBytes(a.authenticatorData);
  bytes[32] = flags;
  return { ...a, authenticatorData: bytesToHex(bytes) };
}

describe("SDK passkeys in Node: creation, attestation parsing, verification", function () {
  it("reads the P-256 key from the attestation's COSE key, which agrees with getPublicKey()", async function () {
    const { authenticator, passkey } = await signedBy();
    const held = authenticator.credentials[0];
    expect(passkey.publicKey).to.deep.equal(held.publicKey);
    expect(passkey.credentialId).to.equal(held.credentialId);
    expect(passkey.account).to.equal(passkeyAccountOf(held.publicKey));
    expect(passkey.transports).to.deep.equal(["internal"]);
  });

  it("parses the attestation object when the browser offers no getAuthenticatorData(), and refuses a key the attestation contradicts", async function () {
    const authenticator = new SoftAuthenticator({ origin: ORIGIN });
    const created = (await authenticator.create({ publicKey: { challenge: new Uint8Array(32), rp: { id: RP.id }, pubKeyCredParams: [{ alg: -7 }] } })) as {
      rawId: ArrayBuffer;
      response: { attestationObject: ArrayBuffer; getPublicKey: () => ArrayBuffer; clientDataJSON: ArrayBuffer };
    };
    const rawId = new Uint8Array(created.rawId);
    const bare = { attestationObject: created.response.attestationObject, clientDataJSON: created.response.clientDataJSON };
    expect(publicKeyOfAttestation(bare, rawId)).to.deep.equal(authenticator.credentials[0].publicKey);
    const other = new SoftAuthenticator({ origin: ORIGIN });
    const otherCreated = (await other.create({ publicKey: { challenge: new Uint8Array(32), rp: { id: RP.id }, pubKeyCredParams: [{ alg: -7 }] } })) as typeof created;
    const contradicted = { ...bare, getPublicKey: otherCreated.response.getPublicKey };
    expect(() => publicKeyOfAttestation(contradicted, rawId)).to.throw(InvalidPasskeyError, "getPublicKey() and the attested COSE key disagree");
    expect(() => publicKeyOfAttestation(bare, new Uint8Array(32))).to.throw(InvalidPasskeyError, "the attested credential id is not the credential's raw id");
  });

  it("verifies a browser-shaped assertion with WebCrypto, with or without Chromium's extra client data member", async function () {
    for (const extraClientDataMember of [false, true]) {
      const { assertion } = await signedBy({ extraClientDataMember });
      expect(await verifyPasskeyAssertion(assertion, { challenge: CHALLENGE, origins: [ORIGIN] })).to.deep.equal({ valid: true });
      expect(BigInt(assertion.s) <= P256_N / 2n).to.equal(true); // normalised to low s
    }
  });

  it("refuses each malformed or forged assertion with the registry's reason", async function () {
    const { assertion } = await signedBy();
    const reason = async (a: PasskeyAssertion, params: { challenge?: Hex; origins?: string[] } = {}) => {
      const verdict = await verifyPasskeyAssertion(a, { challenge: CHALLENGE, ...params });
      return verdict.valid ? "valid" : verdict.reason;
    };
    const highS = ("0x" + (P256_N - BigInt(assertion.s)).toString(16).padStart(64, "0")) as Hex;
    const cases: [string, Promise<string>, string][] = [
      ["short authenticator data", reason({ ...assertion, authenticatorData: assertion.authenticatorData.slice(0, 2 + 36 * 2) as Hex }), "PasskeyAccountsAuthenticatorDataTooShort"],
      ["no user presence", reason(withFlags(assertion, 0x04)), "PasskeyAccountsUserNotPresent"],
      ["no user verification", reason(withFlags(assertion, 0x01)), "PasskeyAccountsUserNotVerified"],
      ["backed up but not backup eligible", reason(withFlags(assertion, 0x15)), "PasskeyAccountsInvalidBackupState"],
      ["a wrong type index", reason({ ...assertion, typeIndex: assertion.typeIndex + 1 }), "PasskeyAccountsWrongClientDataType"],
      ["another challenge", reason(assertion, { challenge: keccak256("0x02") }), "PasskeyAccountsWrongChallenge"],
      ["r zero", reason({ ...assertion, r: ("0x" + "00".repeat(32)) as Hex }), "PasskeyAccountsMalformedSignature"],
      ["a high s", reason({ ...assertion, s: highS }), "PasskeyAccountsMalleableSignature"],
      ["another key", (async () => reason({ ...assertion, publicKey: (await signedBy()).passkey.publicKey }))(), "PasskeyAccountsInvalidSignature"],
      ["an altered counter", reason({ ...assertion, authenticatorData: (assertion.authenticatorData.slice(0, -2) + "ff") as Hex }), "PasskeyAccountsInvalidSignature"],
      ["another origin", reason(assertion, { origins: ["https://evil.example"] }), "OriginMismatch"],
    ];
    for (const [what, got, expected] of cases) expect(await got, what).to.equal(expected);
  });

  it("refuses client data whose parsed members differ from what the offsets show (a duplicate challenge member)", async function () {
    const { assertion } = await signedBy();
    const json = assertion.clientDataJSON.replace(/}$/, ',"challenge":"AAAA"}');
    const verdict = checkPasskeyAssertion({ ...assertion, clientDataJSON: json }, { challenge: CHALLENGE });
    expect(verdict).to.deep.include({ valid: false, reason: "PasskeyAccountsWrongChallenge", message: "the client data's challenge is not this intent's digest" });
    const notJson = checkPasskeyAssertion({ ...assertion, clientDataJSON: assertion.clientDataJSON.replace(/}$/, "") }, { challenge: CHALLENGE });
    expect(notJson).to.deep.include({ valid: false, reason: "ClientDataNotJson" });
  });
});
