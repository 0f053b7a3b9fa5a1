import { expect } from "chai";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createPublicClient, http, HttpRequestError, TimeoutError } from "viem";
import { createNodeFetch } from "../../server/chain/nodeFetch";
import { freePort } from "../../scripts/lib/processes";

/** A JSON-RPC node stand-in: answers each request with what `answer` returns for its parsed body. */
async function node(answer: (body: any, req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server; requests: number }> {
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      state.requests += 1;
      answer(JSON.parse(text), req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return Object.assign(state, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

describe("the relay's node:http fetch for viem (server/chain/nodeFetch.ts)", () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.closeAllConnections(), s.close();
  });

  it("carries viem's JSON-RPC calls, batched ones included, over one kept-alive connection", async () => {
    const sockets = new Set<unknown>();
    const n = await node((body, req, res) => {
      sockets.add(req.socket);
      const one = (b: { id: number; method: string }) => ({ jsonrpc: "2.0", id: b.id, result: b.method === "eth_chainId" ? "0x539" : "0x10" });
      json(res, 200, Array.isArray(body) ? body.map(one) : one(body));
    });
    servers.push(n.server);
    const client = createPublicClient({ transport: http(n.url, { batch: { batchSize: 10, wait: 1 }, fetchFn: createNodeFetch() as unknown as typeof fetch }) });
    expect(await client.getChainId()).to.equal(1337);
    const [a, b] = await Promise.all([client.getBlockNumber({ cacheTime: 0 }), client.getTransactionCount({ address: "0x0000000000000000000000000000000000000001" })]);
    expect([a, b]).to.deep.equal([16n, 16]);
    expect(await client.getChainId()).to.equal(1337);
    expect(n.requests, "the two concurrent calls went as one batch").to.equal(3);
    expect(sockets.size, "connections opened").to.equal(1);
  });

  it("gives viem the node's HTTP status and body, so a node's error is an error of the call", async () => {
    const n = await node((_body, _req, res) => res.writeHead(503, { "content-type": "text/plain" }).end("overloaded"));
    servers.push(n.server);
    const client = createPublicClient({ transport: http(n.url, { retryCount: 0, fetchFn: createNodeFetch() as unknown as typeof fetch }) });
    const error = await client.getBlockNumber().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(HttpRequestError);
    expect((error as HttpRequestError).status).to.equal(503);
    expect((error as HttpRequestError).details).to.contain("overloaded");
  });

  it("abandons a call past viem's timeout: TimeoutError, and the request is closed", async () => {
    let closed = false;
    const n = await node((_body, req) => req.socket.on("close", () => (closed = true))); // never answers
    servers.push(n.server);
    const client = createPublicClient({ transport: http(n.url, { retryCount: 0, timeout: 200, fetchFn: createNodeFetch() as unknown as typeof fetch }) });
    const error = await client.getBlockNumber().then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(TimeoutError);
    await new Promise((r) => setTimeout(r, 100));
    expect(closed, "socket closed after the abort").to.equal(true);
  });

  it("reports a node that is not there as a network failure (what the gateway turns into chain_unreachable)", async () => {
    const port = await freePort();
    const client = createPublicClient({ transport: http(`http://127.0.0.1:${port}`, { retryCount: 0, fetchFn: createNodeFetch() as unknown as typeof fetch }) });
    const error = (await client.getBlockNumber().then(() => undefined, (e: unknown) => e)) as HttpRequestError;
    expect(error).to.be.instanceOf(HttpRequestError);
    expect((error.cause as NodeJS.ErrnoException).code).to.equal("ECONNREFUSED");
  });
});
