/**
 * Agency request authentication (sdk/src/auth.ts, signature version 2): key id, timestamp within the
 * replay window, a nonce used once within it, and HMAC-SHA256 over method, host, path, timestamp,
 * nonce, Idempotency-Key and body hash, compared in constant time. Every failure is a 401 with the
 * reason; nothing about the secret leaks.
 */
import type { NextFunction, Request, Response } from "express";
import {
  HEADER_IDEMPOTENCY_KEY,
  HEADER_KEY_ID,
  HEADER_NONCE,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  checkRequestSignature,
} from "../../sdk/src/auth";
import { UnauthenticatedError } from "../errors";
import type { Keystore } from "../keystore";
import type { RequestNonceStore } from "../store/journal";
import { signedPath, state } from "./context";

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

export function hasAgencySignature(req: Request): boolean {
  return header(req, HEADER_KEY_ID) !== undefined || header(req, HEADER_SIGNATURE) !== undefined;
}

/**
 * The host the agency addressed: the Host header, or X-Forwarded-Host from a proxy TRUST_PROXY
 * trusts (Express's req.host; in Express 5 it keeps the port).
 */
function signedHost(req: Request): string {
  return (req.host ?? "").toLowerCase();
}

export function agencyAuth(keystore: Keystore, requestNonces: RequestNonceStore, replayWindowSeconds: number) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const keyId = header(req, HEADER_KEY_ID);
    const timestamp = header(req, HEADER_TIMESTAMP);
    const nonce = header(req, HEADER_NONCE);
    const signature = header(req, HEADER_SIGNATURE);
    if (!keyId || !timestamp || !nonce || !signature) {
      throw new UnauthenticatedError("this route needs a signed request", {
        details: { required: [HEADER_KEY_ID, HEADER_TIMESTAMP, HEADER_NONCE, HEADER_SIGNATURE] },
      });
    }
    const agency = keystore.byKeyId.get(keyId);
    if (!agency) throw new UnauthenticatedError("unknown key id");
    if (!/^[0-9]{1,12}$/.test(timestamp)) throw new UnauthenticatedError(`${HEADER_TIMESTAMP} must be unix seconds`);
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(nonce)) throw new UnauthenticatedError(`${HEADER_NONCE} must be 8-128 letters, digits, _ or -`);
    const now = Math.floor(Date.now() / 1000);
    const ts = Number(timestamp);
    if (Math.abs(now - ts) > replayWindowSeconds) {
      throw new UnauthenticatedError("the request timestamp is outside the replay window", { details: { windowSeconds: replayWindowSeconds, serverTime: now } });
    }
    const check = checkRequestSignature(
      agency.secret,
      {
        method: req.method,
        host: signedHost(req),
        path: signedPath(req),
        idempotencyKey: header(req, HEADER_IDEMPOTENCY_KEY),
        body: state(res).rawBody,
        timestamp: ts,
        nonce,
      },
      signature,
    );
    if (!check.ok) {
      if (check.reason === "version") {
        throw new UnauthenticatedError("this relay accepts only signature version 2 (v2=…, covering the host and the Idempotency-Key)", {
          details: { header: HEADER_SIGNATURE, accepted: ["v2"] },
        });
      }
      if (check.reason === "malformed") throw new UnauthenticatedError(`${HEADER_SIGNATURE} must be v2=<64 lower-case hex digits>`);
      throw new UnauthenticatedError("the request signature does not match");
    }
    // Only a correctly signed request spends its nonce, so nobody can burn an agency's nonces. The
    // nonce is committed before the request goes on: nothing it does, and no answer, comes earlier.
    if (!(await requestNonces.use(keyId, nonce, (ts + replayWindowSeconds) * 1000, Date.now()))) {
      throw new UnauthenticatedError("this request was already received (replayed nonce)");
    }
    state(res).agency = agency;
    next();
  };
}
