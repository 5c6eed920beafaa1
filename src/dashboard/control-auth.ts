import { createHash, timingSafeEqual } from "node:crypto";
import type { ControlAccess } from "./wire-types.js";

/** Who may use the controls, as the server was told. */
export interface ControlAccessOptions {
  /** The server listens on more than loopback (0.0.0.0, a LAN address...). */
  readonly beyondLoopback: boolean;
  /** The admin token (`--admin-token`); undefined or "" for none. */
  readonly adminToken?: string | undefined;
}

/**
 * A configured token is always required; without one, controls are open on loopback and
 * disabled beyond it (anyone on the network could otherwise drive the demonstration).
 */
export function controlAccess(options: ControlAccessOptions): ControlAccess {
  if (options.adminToken) return "token";
  return options.beyondLoopback ? "disabled" : "open";
}

/** Whether a host to listen on is loopback only ("127.0.0.1", "::1", "localhost"...). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return (
    h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) || h === "::ffff:127.0.0.1"
  );
}

/** Whether an Authorization header carries `Bearer <token>`, compared in constant time. */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return false;
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}
