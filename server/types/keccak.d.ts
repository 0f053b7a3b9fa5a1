/** The few calls of the `keccak` package (native binding, a JavaScript fallback) that the relay makes. */
declare module "keccak" {
  interface KeccakHash {
    update(data: Buffer): KeccakHash;
    digest(): Buffer;
  }
  export default function createKeccakHash(algorithm: "keccak256"): KeccakHash;
}
