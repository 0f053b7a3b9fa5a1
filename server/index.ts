/**
 * The relay process: parse the configuration once, start, and shut down cleanly on SIGINT/SIGTERM
 * (stop accepting, let the lanes finish their turn, close the journal). Run with
 *   npm run relay     (RPC_URL, DEPLOYMENT_FILE, KEYSTORE_FILE, JOURNAL_PATH or JOURNAL_URL, RELAY_MASTER_KEY or MASTER_KEY_FILE)
 */
import { parseRelayConfig } from "./config";
import { ConfigError } from "./errors";
import { createRelay, type Relay } from "./relay";

export async function runRelay(env: Record<string, string | undefined> = process.env, options: { handleSignals?: boolean } = {}): Promise<Relay> {
  const config = parseRelayConfig(env);
  const relay = await createRelay({ config });
  const { url } = await relay.start();
  process.stdout.write(`relay listening on ${url}\n`);
  if (options.handleSignals === false) return relay;
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the relay\n`);
    relay.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  return relay;
}

if (require.main === module) {
  runRelay().catch((error) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `relay failed to start: ${(error as Error).message}`}\n`);
    process.exit(1);
  });
}
