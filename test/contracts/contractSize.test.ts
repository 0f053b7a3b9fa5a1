/**
 * The deployed contracts fit EIP-170's 24,576-byte limit on runtime code, as built (the test run
 * compiles first). Prints each size, so a change that grows the ledger shows by how much.
 */
import { expect } from "chai";
import { CONTRACT_SIZE_LIMIT, contractSizes } from "../../scripts/preflight/artifacts";

describe("contract sizes", function () {
  for (const { name, runtimeBytes } of contractSizes()) {
    it(`${name}: ${runtimeBytes.toLocaleString("en")} bytes of runtime code, within ${CONTRACT_SIZE_LIMIT.toLocaleString("en")}`, function () {
      console.log(`      ${name}: ${runtimeBytes} bytes (${CONTRACT_SIZE_LIMIT - runtimeBytes} to spare)`);
      expect(runtimeBytes).to.be.at.most(CONTRACT_SIZE_LIMIT);
    });
  }
});
