/**
 * Neither /ready nor the relay's logs show a URL's credentials or a signed transaction: the relay
 * reaches the in-process chain over HTTP at a URL with a user and password (a node behind basic
 * authentication), the node refuses a transaction once and then goes away, and everything the
 * relay logged meanwhile, and what /ready answered, is searched for the user, the password and the
 * raw transactions the node was sent.
 */
import { expect } from "chai";
import hre from "hardhat";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { redactSecrets } from "../../server/redact";
import { publicRequest, randomAddress, signed, startRelay, type RelayFixture } from "./helpers/relayFixture";

const USER = "relay-user";
const PASSWORD = "s3cret-pass-7f3a";

interface Call {
  id: unknown;
  method: string;
  params?: unknown[];
}

/** The in-process chain over HTTP, behind basic authentication; it can refuse raw transactions or stop answering. */
async function chainBehindPassword(): Promise<{ url: string; faults: { refuseRaw: number; down: boolean }; rawSeen: string[]; stop(): Promise<void> }> {
  const faults = { refuseRaw: 0, down: false };
  const rawSeen: string[] = [];
  const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}`;
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => resolve(body));
    });
  const answer = async (call: Call) => {
    if (call.method === "eth_sendRawTransaction") {
      rawSeen.push(String(call.params?.[0]));
      if (faults.refuseRaw > 0) {
        faults.refuseRaw -= 1;
        return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "transaction pool is full" } };
      }
    }
    try {
      return { jsonrpc: "2.0", id: call.id, result: await hre.network.provider.request({ method: call.method, params: call.params ?? [] }) };
    } catch (error) {
      const e = error as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: call.id, error: { code: e.code ?? -32000, message: e.message ?? "error", data: e.data } };
    }
  };
  const server: Server = createServer(async (req, res) => {
    if (faults.down) {
      req.socket.destroy();
      return;
    }
    if (req.headers.authorization !== expected) {
      res.writeHead(401).end();
      return;
    }
    const parsed = JSON.parse(await read(req)) as Call | Call[];
    const body = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    faults,
    rawSeen,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("relay: no credentials or raw transactions in /ready or the logs", function () {
  this.timeout(120_000);
  let chain: Awaited<ReturnType<typeof chainBehindPassword>>;
  let fx: RelayFixture;
  const lines: string[] = [];

  before(async () => {
    chain = await chainBehindPassword();
    fx = await startRelay({ rpcUrl: chain.url, logDestination: { write: (line) => lines.push(line) }, env: { LOG_LEVEL: "debug" } });
  });
  after(async () => {
    await fx.stop();
    await chain.stop();
  });

  it("reaches a node behind basic authentication, and logs its refusal of a transaction without the bytes", async () => {
    chain.faults.refuseRaw = 1;
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "5", claimId: "1" });
    expect(res.status).to.equal(202);
    // The node never took the refused transaction; how the relay recovers its nonce is resilience.test.ts's matter.
    for (let i = 0; i < 100 && !lines.some((l) => l.includes("node refused")); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(chain.rawSeen.length, "the node behind the password was reached").to.be.at.least(1);
    const refusal = lines.find((l) => l.includes("node refused"));
    expect(refusal, lines.join("")).to.not.equal(undefined);
    expect(refusal).to.include("transaction pool is full");
  });

  it("answers /ready with fixed reasons when the node is gone, and logs that without the password", async () => {
    chain.faults.down = true;
    await new Promise((r) => setTimeout(r, 1_100)); // past /ready's cached chain check
    const ready = await publicRequest(fx).get("/ready");
    expect(ready.status).to.equal(503);
    expect(ready.body.checks.chain).to.deep.equal({ ok: false, error: "the chain is unreachable or answered with an error" });
    // A write while the node is gone: the lane's retries log the failure.
    const res = await signed(fx, fx.agencies[0], "POST", "/v1/issuances", { resident: randomAddress(), amount: "5", claimId: "2" });
    expect(res.status).to.equal(202);
    for (let i = 0; i < 50 && !lines.some((l) => l.includes("chain unreachable")); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(lines.some((l) => l.includes("chain unreachable")), lines.join("")).to.equal(true);
    chain.faults.down = false;

    const everything = lines.join("") + JSON.stringify(ready.body);
    expect(everything).to.not.include(PASSWORD);
    expect(everything).to.not.include(USER);
    // Not even a piece of a signed transaction (its first 32 bytes), nor any hex longer than a hash.
    for (const raw of chain.rawSeen) expect(everything).to.not.include(raw.slice(2, 66));
    expect(everything).to.not.match(/0x[0-9a-fA-F]{65,}/);
  });

  it("redactSecrets removes a URL's credentials and long hex, and keeps hashes and addresses", () => {
    const hash = `0x${"ab".repeat(32)}`;
    const address = "0x" + "12".repeat(20);
    const raw = `0x02f8${"cd".repeat(120)}`;
    expect(redactSecrets(`RPC_URL=http://${USER}:${PASSWORD}@node:8545 and postgres://app:pw@db/j, tx ${hash} to ${address}, raw ${raw}`)).to.equal(
      `RPC_URL=http://[redacted]@node:8545 and postgres://[redacted]@db/j, tx ${hash} to ${address}, raw 0x[122 bytes redacted]`,
    );
  });
});
