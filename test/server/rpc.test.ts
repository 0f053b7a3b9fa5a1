/**
 * The relay's read-only JSON-RPC gateway (POST /rpc) against the in-process chain: the reads an
 * auditor and a web page need pass (with CORS), every test-only, key-using or writing method is
 * refused and does nothing to the chain, eth_getLogs is bounded in blocks and in answer size (and
 * the SDK's log pager copes with both), batches and callers are bounded, eth_call's gas is capped,
 * the node's errors come through as JSON-RPC errors, and `npm run audit` against the gateway of a
 * running relay is clean.
 */
import { expect } from "chai";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import hre from "hardhat";
import request from "supertest";
import { encodeFunctionData, decodeFunctionResult } from "viem";
import { runAuditCli, EXIT } from "../../scripts/audit";
import { pointsLedgerAbi } from "../../sdk/src/abi";
import { fetchLogPages } from "../../sdk/src/auditor/logs";
import { createHttpRpc } from "../../sdk/src/auditor/rpc";
import { decodeRevertData } from "../../sdk/src/errors/contract";
import { randomAddress, signed, startRelay, waitFinal, type RelayFixture } from "./helpers/relayFixture";

const call = (method: string, params: unknown[] = [], id: number | string = 1) => ({ jsonrpc: "2.0", id, method, params });
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

async function listen(fx: RelayFixture): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve) => {
    const s = fx.relay.app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rpc` };
}

const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

async function issueSome(fx: RelayFixture, count: number, from: number): Promise<void> {
  const items = Array.from({ length: count }, (_, i) => ({ resident: randomAddress(), amount: String(i + 1), claimId: String(from + i) }));
  const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances/batch", { items });
  expect(res.status).to.equal(202);
  for (const op of res.body.operations) expect((await waitFinal(fx, op.id)).status).to.equal("confirmed");
}

describe("relay: the read-only JSON-RPC gateway (/rpc)", function () {
  this.timeout(120_000);
  let fx: RelayFixture;
  const forwarded: { method: string; params: unknown[] }[] = [];
  const rpc = (body: unknown) => request(fx.relay.app).post("/rpc").set("Content-Type", "application/json").send(JSON.stringify(body));

  before(async () => {
    fx = await startRelay({ onRpc: (method, params) => forwarded.push({ method, params }) });
    await issueSome(fx, 30, 1);
  });
  after(async () => fx.stop());

  it("answers the reads an auditor needs, with CORS open to any origin", async () => {
    const res = await rpc([
      call("eth_chainId", [], 1),
      call("net_version", [], 2),
      call("eth_blockNumber", [], 3),
      call("eth_getCode", [fx.deployment.ledger, "latest"], 4),
      call("eth_call", [{ to: fx.deployment.ledger, data: encodeFunctionData({ abi: pointsLedgerAbi, functionName: "domainCount" }) }, "latest"], 5),
      call("eth_getTransactionReceipt", [fx.deployment.transactions.ledger], 6),
    ]).set("Origin", "https://auditor.example");
    expect(res.status).to.equal(200);
    expect(res.headers["access-control-allow-origin"]).to.equal("*");
    const [chainId, version, block, code, domainCount, receipt] = res.body;
    expect(Number(chainId.result)).to.equal(fx.deployment.chainId);
    expect(version.result).to.equal(String(fx.deployment.chainId));
    expect(Number(block.result)).to.equal(await hre.ethers.provider.getBlockNumber());
    expect(code.result.length).to.be.greaterThan(1_000);
    expect(decodeFunctionResult({ abi: pointsLedgerAbi, functionName: "domainCount", data: domainCount.result })).to.equal(4);
    expect(receipt.result.contractAddress.toLowerCase()).to.equal(fx.deployment.ledger.toLowerCase());
    expect(res.body.map((a: { id: number }) => a.id)).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it("answers a browser's preflight: POST with Content-Type from any origin", async () => {
    const res = await request(fx.relay.app)
      .options("/rpc")
      .set("Origin", "https://ledger.example")
      .set("Access-Control-Request-Method", "POST")
      .set("Access-Control-Request-Headers", "content-type");
    expect(res.status).to.equal(204);
    expect(res.headers["access-control-allow-origin"]).to.equal("*");
    expect(res.headers["access-control-allow-methods"]).to.match(/POST/);
    expect(res.headers["access-control-allow-headers"]).to.match(/Content-Type/i);
  });

  it("refuses every test-only, key-using or writing method with -32601, and the chain is untouched", async () => {
    const target = randomAddress();
    const before = await hre.ethers.provider.getBlockNumber();
    forwarded.length = 0;
    const refused = [
      call("hardhat_setBalance", [target, "0x3635C9ADC5DEA00000"]),
      call("anvil_setBalance", [target, "0x3635C9ADC5DEA00000"]),
      call("hardhat_setStorageAt", [fx.deployment.ledger, "0x0", `0x${"11".repeat(32)}`]),
      call("anvil_impersonateAccount", [target]),
      call("hardhat_impersonateAccount", [target]),
      call("hardhat_mine", ["0x10"]),
      call("evm_mine", []),
      call("evm_increaseTime", [86_400]),
      call("evm_snapshot", []),
      call("debug_traceTransaction", [fx.deployment.transactions.ledger]),
      call("personal_sign", ["0x00", target]),
      call("eth_accounts", []),
      call("eth_sign", [target, "0x00"]),
      call("eth_signTypedData_v4", [target, "{}"]),
      call("eth_sendTransaction", [{ from: target, to: target }]),
      call("eth_sendRawTransaction", ["0x02"]),
      call("txpool_content", []),
    ].map((c, i) => ({ ...c, id: i }));
    const res = await rpc(refused);
    expect(res.status).to.equal(200);
    for (const [i, answer] of (res.body as { id: number; error?: { code: number; message: string } }[]).entries()) {
      expect(answer.id, refused[i].method).to.equal(i);
      expect(answer.error?.code, refused[i].method).to.equal(-32601);
      expect(answer.error?.message).to.include(`the method ${refused[i].method} is not available`);
    }
    expect(forwarded.filter((f) => refused.some((r) => r.method === f.method))).to.deep.equal([]);
    expect(await hre.ethers.provider.getBalance(target)).to.equal(0n);
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
  });

  it("refuses an eth_getLogs over more than 5,000 blocks with -32005 naming the limit, and serves 5,000", async () => {
    await hre.network.provider.request({ method: "hardhat_mine", params: [hex(6_000)] });
    const head = await hre.ethers.provider.getBlockNumber();
    const wide = await rpc(call("eth_getLogs", [{ address: fx.deployment.ledger, fromBlock: hex(head - 5_000), toBlock: hex(head) }]));
    expect(wide.status).to.equal(200);
    expect(wide.body.error.code).to.equal(-32005);
    expect(wide.body.error.message).to.match(/over 5001 blocks exceeds this gateway's limit of 5000 blocks/);
    const byTags = await rpc(call("eth_getLogs", [{ address: fx.deployment.ledger, fromBlock: "earliest", toBlock: "latest" }]));
    expect(byTags.body.error.code).to.equal(-32005);
    // A toBlock beyond the head costs nothing past the head.
    const ahead = await rpc(call("eth_getLogs", [{ address: fx.deployment.ledger, fromBlock: hex(head - 100), toBlock: hex(head + 100_000) }]));
    expect(ahead.body.result).to.deep.equal([]);
    const fits = await rpc(call("eth_getLogs", [{ address: fx.deployment.ledger, fromBlock: hex(head - 4_999), toBlock: hex(head) }]));
    expect(fits.body.result).to.deep.equal([]);
  });

  it("refuses a batch over 100 calls as a whole (HTTP 400, -32600), and answers a mixed batch call by call", async () => {
    const big = await rpc(Array.from({ length: 101 }, (_, i) => call("eth_chainId", [], i)));
    expect(big.status).to.equal(400);
    expect(big.body.error.code).to.equal(-32600);
    expect(big.body.error.message).to.equal("a batch may hold at most 100 calls; this one holds 101");
    const mixed = await rpc([call("eth_chainId", [], "a"), call("evm_mine", [], "b"), { jsonrpc: "2.0", id: "c" }, call("eth_getCode", ["0x12"], "d")]);
    expect(mixed.status).to.equal(200);
    expect(mixed.body.map((a: { id: string }) => a.id)).to.deep.equal(["a", "b", "c", "d"]);
    expect(Number(mixed.body[0].result)).to.equal(fx.deployment.chainId);
    expect(mixed.body.slice(1).map((a: { error: { code: number } }) => a.error.code)).to.deep.equal([-32601, -32600, -32602]);
  });

  it("runs eth_call with at most the gas cap, and with a state override", async () => {
    forwarded.length = 0;
    const reader = "0x00000000000000000000000000000000000000c0";
    // PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN: answers 42.
    const res = await rpc([
      call("eth_call", [{ to: reader, data: "0x", gas: "0xffffffffffff" }, "latest", { [reader]: { code: "0x602a60005260206000f3" } }], 1),
      call("eth_call", [{ to: reader, data: "0x", gas: "0x186a0" }, "latest", { [reader]: { code: "0x602a60005260206000f3" } }], 2),
      call("eth_call", [{ to: reader, data: "0x" }], 3),
    ]);
    expect(BigInt(res.body[0].result)).to.equal(42n);
    expect(BigInt(res.body[1].result)).to.equal(42n);
    expect(res.body[2].result).to.equal("0x");
    const gases = forwarded.filter((f) => f.method === "eth_call").map((f) => (f.params[0] as { gas: string }).gas);
    expect(gases).to.deep.equal([hex(16_777_216), "0x186a0", hex(16_777_216)]);
  });

  it("passes the node's error through as JSON-RPC, revert data included, without the node's address", async () => {
    const res = await rpc(call("eth_call", [{ to: fx.deployment.ledger, data: encodeFunctionData({ abi: pointsLedgerAbi, functionName: "quoteExchange", args: [3, 4, 5n] }) }, "latest"]));
    expect(res.status).to.equal(200);
    expect(res.body.error.code).to.equal(3);
    expect(res.body.error.message).to.match(/PointsLedgerNoAgreement/);
    expect(decodeRevertData(res.body.error.data)?.errorName).to.equal("PointsLedgerNoAgreement");
    expect(JSON.stringify(res.body)).to.not.match(/URL:|Request body|viem@/);
  });

  it("refuses what is not JSON-RPC with the HTTP status that says why", async () => {
    const text = await request(fx.relay.app).post("/rpc").set("Content-Type", "text/plain").send(JSON.stringify(call("eth_chainId")));
    expect([text.status, text.body.error.code]).to.deep.equal([415, -32600]);
    const broken = await request(fx.relay.app).post("/rpc").set("Content-Type", "application/json").send("{not json");
    expect([broken.status, broken.body.error.code]).to.deep.equal([400, -32700]);
    const empty = await rpc([]);
    expect([empty.status, empty.body.error.code]).to.deep.equal([400, -32600]);
    const huge = await rpc(call("eth_call", [{ to: fx.deployment.ledger, data: `0x${"00".repeat(600_000)}` }]));
    expect([huge.status, huge.body.error.code]).to.deep.equal([413, -32600]);
    const unknownParams = await rpc({ jsonrpc: "2.0", id: 9, method: "eth_chainId", params: { a: 1 } });
    expect(unknownParams.body.error.code).to.equal(-32602);
  });

  it("serves `npm run audit` against the gateway of a running relay: clean, exit 0, balances read by state override", async () => {
    const { server, url } = await listen(fx);
    try {
      let out = "";
      let err = "";
      const code = await runAuditCli(["--rpc", url, "--deployment", fx.config.DEPLOYMENT_FILE, "--json", "-"], {
        out: (t) => (out += t),
        err: (t) => (err += t),
        progress: false,
      });
      expect(code, err).to.equal(EXIT.ok);
      const report = JSON.parse(out);
      expect(report.ok).to.equal(true);
      expect(report.events.byName.PointsIssued).to.equal(30);
      expect(report.balanceReads).to.deep.include({ accounts: 30, method: "state-override" });
      expect(err).to.include("RESULT: no violations.");
    } finally {
      await closeServer(server);
    }
  });
});

describe("relay: the gateway's answer size and rate limits", function () {
  this.timeout(120_000);
  let fx: RelayFixture;
  let gateway: { server: Server; url: string };
  const rpc = (body: unknown) => request(fx.relay.app).post("/rpc").set("Content-Type", "application/json").send(JSON.stringify(body));

  before(async () => {
    fx = await startRelay({ env: { RPC_MAX_RESPONSE_BYTES: "8192", RPC_RATE_LIMIT_PER_MINUTE: "400" } });
    // One issuance a block, so that no single block's logs pass the limit.
    for (let i = 0; i < 20; i += 1) await issueSome(fx, 1, 100 + i);
    gateway = await listen(fx);
  });
  after(async () => {
    await closeServer(gateway.server);
    await fx.stop();
  });

  it("answers a too large eth_getLogs with -32005, and the SDK's pager gets every log by asking for less", async () => {
    const head = await hre.ethers.provider.getBlockNumber();
    const whole = await rpc(call("eth_getLogs", [{ address: fx.deployment.ledger, fromBlock: hex(fx.deployment.deployBlock), toBlock: hex(head) }]));
    expect(whole.body.error.code).to.equal(-32005);
    expect(whole.body.error.message).to.match(/larger than this gateway's limit of 8192 bytes/);
    const direct = await hre.network.provider.request({ method: "eth_getLogs", params: [{ address: fx.deployment.ledger, fromBlock: hex(fx.deployment.deployBlock), toBlock: hex(head) }] });
    let logs = 0;
    let pages = 0;
    for await (const page of fetchLogPages(createHttpRpc(gateway.url), { addresses: [fx.deployment.ledger], fromBlock: fx.deployment.deployBlock, toBlock: head })) {
      logs += page.logs.length;
      pages += 1;
    }
    expect(logs).to.equal((direct as unknown[]).length);
    expect(pages).to.be.greaterThan(1);
  });

  it("limits calls per client address (each call of a batch counts) with 429, Retry-After and a JSON-RPC error", async () => {
    let limited: request.Response | undefined;
    let served = 0;
    for (let i = 0; i < 20 && !limited; i += 1) {
      const res = await rpc(Array.from({ length: 50 }, (_, j) => call("eth_chainId", [], j)));
      if (res.status === 429) limited = res;
      else {
        expect(res.status).to.equal(200);
        served += 50;
      }
    }
    expect(limited, "no 429 within 1,000 calls at 400 a minute").to.not.equal(undefined);
    expect(served).to.be.at.most(400);
    expect(limited!.body.error.code).to.equal(429);
    expect(Number(limited!.headers["retry-after"])).to.be.greaterThan(0);
    expect(limited!.headers["access-control-allow-origin"]).to.equal("*");
  });
});
