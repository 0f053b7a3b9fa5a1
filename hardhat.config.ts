import { subtask } from "hardhat/config";
import { relative, sep } from "node:path";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import type { HardhatUserConfig } from "hardhat/config";
import "@nomicfoundation/hardhat-toolbox";

const SOLC_VERSION = "0.8.28";

// No compiler can be downloaded here: compile with the solc-js build pinned in package.json.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) return runSuper();
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: args.solcVersion,
    longVersion: solc.version(),
  };
});

// `hardhat test` alone would load every .ts under test/. Tests are the *.test.ts files; the rest live
// in helpers/ folders or are shared behaviours (*.behavior.ts, applied by tests). A file that is none
// of these is a test that would silently never run: refuse it.
subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, hre, runSuper) => {
  const files: string[] = await runSuper(args);
  if (args.testFiles.length > 0) return files;
  const misnamed = files.map((f) => relative(hre.config.paths.root, f)).filter((f) => !f.endsWith(".test.ts") && !f.endsWith(".behavior.ts") && !f.split(sep).includes("helpers"));
  if (misnamed.length > 0) throw new Error(`test files must be named *.test.ts (helpers go in a helpers/ folder, shared behaviours in *.behavior.ts): ${misnamed.join(", ")}`);
  return files.filter((f) => f.endsWith(".test.ts"));
});

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      // OpenZeppelin 5.7 uses MCOPY; the city network runs the Cancun milestone.
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 10_000 },
      viaIR: true,
    },
  },
  networks: {
    // Osaka: the P256VERIFY precompile (EIP-7951) that passkey accounts use, and the 16,777,216 gas
    // cap per transaction (EIP-7825) that the city network enforces. The code targets Cancun.
    hardhat: { hardfork: "osaka" },
    localhost: { url: process.env.RPC_URL ?? "http://127.0.0.1:8545" },
  },
  mocha: { timeout: 120_000 },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
};

export default config;
