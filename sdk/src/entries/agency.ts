/**
 * `@city-points/sdk/agency`: an agency's back office, in Node only. The relay client and the
 * request and webhook signatures, plus the shared definitions. It uses node:crypto on purpose:
 * the HMAC functions stay synchronous for the relay that verifies with them, and an agency's
 * secret has no business in a browser.
 */
export * from "./shared";

export * from "../auth";
export * from "../agency";
