import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeAddress, dataSlice, decodeRlp, getAddress, keccak256, SigningKey, toBeHex, Wallet, ZeroHash } from "ethers";
import { qbftExtraData } from "../../scripts/network/besu/extraData";
import { BLOCK_GAS_LIMIT, CONTRACT_SIZE_LIMIT, QBFT_MIX_HASH } from "../../scripts/network/besu/genesis";
import { generateProfile, type ProfileOptions } from "../../scripts/network/besu/profile";
import { largestContract } from "../../scripts/preflight/artifacts";
import { batchGasLimit } from "../../server/chain/calls";
import { MAX_BATCH_ITEMS_PER_TX, MAX_TRANSACTION_GAS } from "../../server/chain/gasCap";
import { deployLedger } from "../helpers/deploy";
import { parseTomlSubset } from "./helpers/toml";
import { runCli } from "./helpers/cli";

/*
 * What Besu documents, quoted from its docs (besu.hyperledger.org):
 * - Genesis items: public-networks/reference/genesis-items ("Configuration items": chainId, milestone
 *   blocks, qbft, contractSizeLimit, zeroBaseFee, ...; "Genesis block parameters": coinbase, gasLimit,
 *   nonce, timestamp, alloc, plus difficulty/extraData/mixHash per consensus).
 * - QBFT: private-networks/how-to/configure/consensus/qbft ("Genesis file": qbft.blockperiodseconds,
 *   epochlength, requesttimeoutseconds; difficulty 0x1; the Istanbul mixHash; "Extra data": RLP of
 *   vanity, validators, no vote, round 0, no seals, with the worked example below).
 * - Free gas: private-networks/how-to/configure/free-gas (zeroBaseFee, min-gas-price=0, contractSizeLimit).
 * - Options: public-networks/reference/cli/options and private-networks/reference/cli/options (a config
 *   file uses the option names without "--").
 * - Local permissioning: private-networks/how-to/use-local-permissioning (accounts-allowlist, nodes-allowlist).
 * - Enode URL: public-networks/concepts/node-keys ("enode://<id>@<host:port>", id = public key without 0x).
 */
const DOCUMENTED_CONFIG_ITEMS = ["chainId", "londonBlock", "shanghaiTime", "cancunTime", "pragueTime", "osakaTime", "zeroBaseFee", "contractSizeLimit", "qbft"];
const DOCUMENTED_QBFT_ITEMS = ["blockperiodseconds", "epochlength", "requesttimeoutseconds"];
const DOCUMENTED_BLOCK_PARAMETERS = ["nonce", "timestamp", "extraData", "gasLimit", "difficulty", "mixHash", "coinbase", "alloc"];
const DOCUMENTED_OPTIONS = [
  "data-path",
  "genesis-file",
  "node-private-key-file",
  "identity",
  "p2p-host",
  "p2p-port",
  "bootnodes",
  "min-gas-price",
  "rpc-http-enabled",
  "rpc-http-host",
  "rpc-http-port",
  "rpc-http-api",
  "host-allowlist",
  "permissions-nodes-config-file-enabled",
  "permissions-nodes-config-file",
  "permissions-accounts-config-file-enabled",
  "permissions-accounts-config-file",
];
const DOCUMENTED_APIS = ["ADMIN", "CLIQUE", "DEBUG", "EEA", "ETH", "IBFT", "MINER", "NET", "PERM", "PLUGINS", "PRIV", "QBFT", "TRACE", "TXPOOL", "WEB3"];
const ENODE = /^enode:\/\/([0-9a-f]{128})@([^:@]+):(\d+)$/;

function options(out: string, overrides: Partial<ProfileOptions> = {}): ProfileOptions {
  return {
    out,
    validators: 4,
    auditorNodes: 1,
    chainId: 45817,
    blockPeriodSeconds: 2,
    names: ["volunteer", "transport", "culture", "environment"],
    rpcHost: "127.0.0.1",
    rpcPort: 8545,
    p2pPort: 30303,
    accounts: [],
    ...overrides,
  };
}

describe("Besu QBFT profile (npm run network:besu)", function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), "city-besu-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it("encodes extraData exactly as Besu's QBFT guide does for its four example validators", function () {
    // The "Generate extra data" example of private-networks/how-to/configure/consensus/qbft.
    const validators = [
      "0x4592c8e45706cc08b8f44b11e43cba0cfc5892cb",
      "0x06e23768a0f59cf365e18c2e0c89e151bcdedc70",
      "0xc5327f96ee02d7bcbc1bf1236b8c15148971e1de",
      "0xab5e7f4061c605820d3744227eed91ff8e2c8908",
    ];
    expect(qbftExtraData(validators)).to.equal(
      "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f854944592c8e45706cc08b8f44b11e43cba0cfc5892cb9406e23768a0f59cf365e18c2e0c89e151bcdedc7094c5327f96ee02d7bcbc1bf1236b8c15148971e1de94ab5e7f4061c605820d3744227eed91ff8e2c8908c080c0",
    );
  });

  describe("when generating four validators and an auditor node", function () {
    const deployer = Wallet.createRandom().address;
    const relaySigners = [Wallet.createRandom().address, Wallet.createRandom().address];
    let out: string;
    let genesis: { config: Record<string, unknown> & { qbft: Record<string, unknown> }; [k: string]: unknown };

    beforeEach(function () {
      out = join(dir, "city");
      generateProfile(options(out, { accounts: [deployer, ...relaySigners] }));
      genesis = JSON.parse(readFileSync(join(out, "genesis.json"), "utf8"));
    });

    function nodeKeys(): { name: string; privateKey: string; address: string; nodeId: string }[] {
      return readdirSync(join(out, "nodes")).map((name) => {
        const privateKey = readFileSync(join(out, "nodes", name, "key"), "utf8").trim();
        const publicKey = new SigningKey(privateKey).publicKey;
        return { name, privateKey, address: computeAddress(publicKey), nodeId: publicKey.slice(4) };
      });
    }

    it("writes a genesis with only documented items: QBFT, Cancun, free gas, chain id", function () {
      expect(Object.keys(genesis).sort()).to.deep.equal(["config", ...DOCUMENTED_BLOCK_PARAMETERS].sort());
      expect(DOCUMENTED_CONFIG_ITEMS).to.include.members(Object.keys(genesis.config));
      expect(Object.keys(genesis.config.qbft).sort()).to.deep.equal([...DOCUMENTED_QBFT_ITEMS].sort());
      expect(genesis.config).to.include({ chainId: 45817, londonBlock: 0, shanghaiTime: 0, cancunTime: 0, pragueTime: 0, osakaTime: 0, zeroBaseFee: true });
      expect(genesis.config.qbft).to.deep.equal({ blockperiodseconds: 2, epochlength: 30000, requesttimeoutseconds: 4 });
      expect(genesis).to.include({ difficulty: "0x1", mixHash: QBFT_MIX_HASH });
    });

    it("lists the validators' addresses, derived from their key files, in ascending order in extraData", function () {
      const [vanity, validators, vote, round, seals] = decodeRlp(genesis.extraData as string) as [string, string[], string[], string, string[]];
      expect(vanity).to.equal(ZeroHash);
      expect(vote).to.deep.equal([]);
      expect(round).to.equal("0x");
      expect(seals).to.deep.equal([]);
      const validatorKeys = nodeKeys().filter((k) => k.name !== "auditor-1");
      const expected = validatorKeys.map((k) => k.address.toLowerCase()).sort();
      expect(validators).to.deep.equal(expected);
      expect(validators).to.have.length(4);
      expect(validators).not.to.include(nodeKeys().find((k) => k.name === "auditor-1")!.address.toLowerCase());
    });

    it("writes each node key readable by its owner only, and key.pub matching it", function () {
      const keys = nodeKeys();
      expect(keys.map((k) => k.name).sort()).to.deep.equal(["auditor-1", "culture", "environment", "transport", "volunteer"]);
      for (const k of keys) {
        expect(statSync(join(out, "nodes", k.name, "key")).mode & 0o777).to.equal(0o600);
        expect(k.privateKey).to.match(/^0x[0-9a-f]{64}$/);
        expect(readFileSync(join(out, "nodes", k.name, "key.pub"), "utf8").trim()).to.equal("0x" + k.nodeId);
      }
      expect(new Set(keys.map((k) => k.privateKey)).size).to.equal(5);
    });

    it("writes node configs with documented options only: free gas, RPC on the host, permissioning on", function () {
      for (const name of ["volunteer", "auditor-1"]) {
        const config = parseTomlSubset(readFileSync(join(out, "nodes", name, "config.toml"), "utf8"));
        expect(DOCUMENTED_OPTIONS).to.include.members(Object.keys(config));
        expect(config).to.include({
          "min-gas-price": 0,
          "rpc-http-enabled": true,
          "rpc-http-host": "127.0.0.1",
          "permissions-nodes-config-file-enabled": true,
          "permissions-accounts-config-file-enabled": true,
          "node-private-key-file": "key",
          "genesis-file": "genesis.json",
          identity: name,
        });
        expect(DOCUMENTED_APIS).to.include.members(config["rpc-http-api"] as string[]);
        expect(config["rpc-http-api"]).to.include("QBFT");
        for (const file of ["node-private-key-file", "genesis-file", "permissions-nodes-config-file", "permissions-accounts-config-file"]) {
          expect(existsSync(join(out, "nodes", name, config[file] as string)), file).to.equal(true);
        }
        expect(readFileSync(join(out, "nodes", name, "genesis.json"), "utf8")).to.equal(readFileSync(join(out, "genesis.json"), "utf8"));
      }
      const volunteer = parseTomlSubset(readFileSync(join(out, "nodes", "volunteer", "config.toml"), "utf8"));
      expect(volunteer["bootnodes"]).to.have.length(3);
    });

    it("allowlists every node by enode URL, and the validators, deployer and relay signers as accounts", function () {
      const permissions = parseTomlSubset(readFileSync(join(out, "permissions_config.toml"), "utf8"));
      expect(Object.keys(permissions).sort()).to.deep.equal(["accounts-allowlist", "nodes-allowlist"]);
      const enodes = permissions["nodes-allowlist"] as string[];
      const ids = enodes.map((e) => ENODE.exec(e)?.[1]);
      expect(ids.sort()).to.deep.equal(nodeKeys().map((k) => k.nodeId).sort());
      const ports = enodes.map((e) => Number(ENODE.exec(e)![3]));
      expect(new Set(ports).size).to.equal(5);
      for (const name of ["volunteer", "transport"]) {
        const config = parseTomlSubset(readFileSync(join(out, "nodes", name, "config.toml"), "utf8"));
        expect(enodes).to.include.members(config["bootnodes"] as string[]);
        expect(readFileSync(join(out, "nodes", name, "permissions_config.toml"), "utf8")).to.equal(readFileSync(join(out, "permissions_config.toml"), "utf8"));
      }
      const accounts = (permissions["accounts-allowlist"] as string[]).map((a) => getAddress(a));
      const validatorAddresses = nodeKeys().filter((k) => k.name !== "auditor-1").map((k) => k.address);
      expect(accounts).to.have.members([...validatorAddresses, deployer, ...relaySigners]);
    });

    it("writes a guide and a public summary that carry no private key", function () {
      const guide = readFileSync(join(out, "README.md"), "utf8");
      const summary = readFileSync(join(out, "network.json"), "utf8");
      expect(guide).to.match(/besu --config-file=config\.toml/);
      expect(guide).to.match(/npm run preflight/);
      for (const k of nodeKeys()) {
        expect(guide).not.to.include(k.privateKey.slice(2));
        expect(summary).not.to.include(k.privateKey.slice(2));
        expect(summary).to.include(k.address);
      }
    });

    it("never overwrites an existing profile", function () {
      const before = readFileSync(join(out, "nodes", "volunteer", "key"), "utf8");
      expect(() => generateProfile(options(out))).to.throw(/exists and is not empty: a profile holds node keys/);
      expect(readFileSync(join(out, "nodes", "volunteer", "key"), "utf8")).to.equal(before);
      expect(readdirSync(dir)).to.deep.equal(["city"]);
    });
  });

  it("sizes the contract size limit and block gas limit for our contracts, and the relay's largest batch for Osaka's cap per transaction", async function () {
    expect(CONTRACT_SIZE_LIMIT).to.be.at.least(largestContract().runtimeBytes);
    const { ledger, agencies } = await deployLedger();
    const deployGas = (await ledger.deploymentTransaction()!.wait())!.gasUsed;
    // The relay's largest batch of new residents, each with a claim id in a fresh bitmap word: every
    // item writes two fresh slots, the most expensive batch there is. Sent with the relay's gas limit,
    // under Osaka's cap per transaction (the Hardhat network runs Osaka and enforces it).
    const items = Array.from({ length: MAX_BATCH_ITEMS_PER_TX }, (_, i) => ({ resident: getAddress(dataSlice(keccak256(toBeHex(i + 1, 32)), 12)), amount: 1n, claimId: BigInt(i + 1) << 8n }));
    const gasLimit = batchGasLimit(items.length);
    expect(gasLimit <= MAX_TRANSACTION_GAS).to.equal(true);
    const batchGas = (await (await ledger.connect(agencies[0]).issueBatch(1, items, { gasLimit })).wait())!.gasUsed;
    expect(batchGas < gasLimit, `${batchGas} gas of ${gasLimit}`).to.equal(true);
    expect(BigInt(BLOCK_GAS_LIMIT)).to.be.at.least(4n * batchGas);
    expect(BigInt(BLOCK_GAS_LIMIT)).to.be.at.least(2n * deployGas);
  });

  it("refuses fewer than four validators with the reason, writing nothing", async function () {
    const out = join(dir, "small");
    const result = await runCli("scripts/network/besu.ts", ["--validators", "3", "--out", out]);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/QBFT needs at least 4 validators to tolerate one faulty validator/);
    expect(existsSync(out)).to.equal(false);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it("prints public facts only from the command line", async function () {
    const out = join(dir, "cli");
    const plan = join(dir, "plan.json");
    writeFileSync(plan, readFileSync(join(__dirname, "..", "..", "config", "deploy", "local.json")));
    const result = await runCli("scripts/network/besu.ts", ["--validators", "4", "--out", out, "--plan", plan]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/wrote a QBFT network of 4 validators \(chain 45817\)/);
    for (const name of readdirSync(join(out, "nodes"))) {
      const key = readFileSync(join(out, "nodes", name, "key"), "utf8").trim();
      expect(result.stdout + result.stderr).not.to.include(key.slice(2));
    }
    const accounts = parseTomlSubset(readFileSync(join(out, "permissions_config.toml"), "utf8"))["accounts-allowlist"] as string[];
    expect(accounts).to.include("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"); // the plan's pauser
    expect(accounts).to.have.length(4 + 9);
  });
});
