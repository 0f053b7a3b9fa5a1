import { expect } from "chai";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHttpRpc } from "../../sdk/src/auditor/rpc";
import { RpcResponseTooLargeError } from "../../sdk/src/errors/rpc";

/** Multi-byte characters of 2, 3 and 4 bytes, so that small chunks split some of them. */
const TEXT = "é 志愿者积分 🎉 ".repeat(40);

describe("the auditor's JSON-RPC client over HTTP", function () {
  let server: Server;
  let url: string;

  before(async function () {
    // Answers every call with TEXT, sent 5 bytes at a time with a pause between writes, so the
    // client reads many chunks and characters cross their boundaries.
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", async () => {
        const { id } = JSON.parse(body) as { id: number };
        const reply = Buffer.from(JSON.stringify({ jsonrpc: "2.0", id, result: TEXT }), "utf8");
        res.socket?.setNoDelay(true);
        res.writeHead(200, { "content-type": "application/json" });
        for (let i = 0; i < reply.length; i += 5) {
          res.write(reply.subarray(i, i + 5));
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async function () {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("reads a reply streamed in chunks under a size limit with every character whole", async function () {
    const rpc = createHttpRpc(url, { retries: 0 });
    expect(await rpc.request<string>("test_text", [], { maxResponseBytes: 100_000 })).to.equal(TEXT);
    expect(await rpc.request<string>("test_text", [])).to.equal(TEXT); // without a limit: fetch's own decoding
  });

  it("abandons the same reply once it passes the limit", async function () {
    const rpc = createHttpRpc(url, { retries: 0 });
    const error = await rpc.request("test_text", [], { maxResponseBytes: 500 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(RpcResponseTooLargeError);
  });
});
