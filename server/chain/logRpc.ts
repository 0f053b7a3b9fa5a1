/**
 * The JSON-RPC client the ledger index reads logs and block headers with: the SDK's raw HTTP client
 * (it parses large `eth_getLogs` answers much faster than a generic client, and abandons one that
 * grows too large), or, where the relay was given a viem transport (the tests' in-process chain),
 * that transport.
 */
import type { Transport } from "viem";
import { createHttpRpc, createTransportRpc, type RpcClient } from "../../sdk/src/auditor/rpc";

export function logRpc(rpcUrl: string, transport?: Transport): RpcClient {
  return transport ? createTransportRpc(transport) : createHttpRpc(rpcUrl, { timeoutMs: 30_000, retries: 1 });
}
