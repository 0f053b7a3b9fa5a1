/**
 * `@city-points/sdk/wire`: the relay's HTTP API as zod schemas, for any client of the relay, in a
 * browser or in Node. The root entry exports the same as its `wire` namespace.
 */
export * from "../wire";
