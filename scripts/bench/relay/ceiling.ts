/**
 * Phase (d), the ceiling: the same clients against a bare Express handler that reads the body,
 * parses it and answers 202, in its own process. No relay on this machine can accept requests
 * faster than this, and its CPU per request is what the relay's is compared with.
 */
import { join } from "node:path";
import { freePort, killGroup, ROOT, spawnProcess } from "../../lib/processes";
import { drive, post, type Credentials } from "./client";
import { cpuSeconds } from "./measure";
import { issuanceItems } from "./workload";

export async function httpCeiling(creds: Credentials, count: number, concurrency: number): Promise<{ perSec: number; serverCpuMsPerRequest: number; clientCpuMsPerRequest: number }> {
  const port = await freePort();
  const server = spawnProcess(
    process.execPath,
    [
      "-e",
      `const express = require("express"); const app = express();
       app.use(express.raw({ type: () => true, limit: 262144 }));
       app.post("/v1/issuances", (req, res) => { JSON.parse(req.body.toString("utf8")); res.status(202).json({ operation: { id: "op", status: "queued" } }); });
       app.listen(${port}, "127.0.0.1", () => console.log("ceiling listening"));`,
    ],
    { NODE_PATH: join(ROOT, "node_modules") },
  );
  try {
    await server.waitFor(/ceiling listening/);
    const url = `http://127.0.0.1:${port}`;
    const items = issuanceItems(0, count);
    const cpu0 = { server: cpuSeconds(server.child.pid!), client: cpuSeconds(process.pid) };
    const { seconds } = await drive(count, concurrency, async (i) => {
      await post(url, creds, "/v1/issuances", items[i]);
    });
    return {
      perSec: count / seconds,
      serverCpuMsPerRequest: ((cpuSeconds(server.child.pid!) - cpu0.server) * 1000) / count,
      clientCpuMsPerRequest: ((cpuSeconds(process.pid) - cpu0.client) * 1000) / count,
    };
  } finally {
    killGroup(server, "SIGKILL");
    await server.exited;
  }
}
