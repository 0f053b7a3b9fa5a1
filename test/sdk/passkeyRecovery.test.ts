import { expect } from "chai";
import { generateKeyPairSync, sign } from "node:crypto";
import { publicKeyFromSpki, recoverP256PublicKeys, recoverPasskeyPublicKeys } from "../../sdk/src/resident/passkeys";

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { privateKey, publicKey: publicKeyFromSpki(new Uint8Array(publicKey.export({ type: "spki", format: "der" }))) };
}

describe("passkey public-key recovery (sign-in with a discoverable credential)", () => {
  it("finds the signing key among at most four candidates, for many keys and messages", () => {
    for (let i = 0; i < 20; i++) {
      const { privateKey, publicKey } = keyPair();
      const message = new TextEncoder().encode(`sign-in ${i}`);
      const der = new Uint8Array(sign("sha256", message, privateKey));
      const candidates = recoverP256PublicKeys(message, der);
      expect(candidates.length).to.be.within(1, 4);
      expect(candidates).to.deep.include(publicKey);
    }
  });

  it("recovers from a WebAuthn response: the signature covers authenticatorData ‖ SHA-256(clientDataJSON)", async () => {
    const { privateKey, publicKey } = keyPair();
    const authenticatorData = new Uint8Array(37).fill(7);
    const clientDataJSON = new TextEncoder().encode('{"type":"webauthn.get","challenge":"abc","origin":"http://localhost"}');
    const { createHash } = await import("node:crypto");
    const signed = Buffer.concat([authenticatorData, createHash("sha256").update(clientDataJSON).digest()]);
    const signature = new Uint8Array(sign("sha256", signed, privateKey));
    expect(recoverPasskeyPublicKeys({ authenticatorData, clientDataJSON, signature })).to.deep.include(publicKey);
    // Another message gives other keys: the recovery is bound to what was signed.
    expect(recoverPasskeyPublicKeys({ authenticatorData: new Uint8Array(37).fill(8), clientDataJSON, signature })).to.not.deep.include(publicKey);
  });
});
