import type { Context } from "hono";
import { hasBearerToken } from "./control-auth.js";
import { parseControlCommand } from "./control-command.js";
import type { DashboardSource } from "./dashboard-source.js";
import { errorBody } from "./error-body.js";
import type { ControlAccess } from "./wire-types.js";

export interface ControlRouteOptions {
  readonly source: DashboardSource;
  readonly access: ControlAccess;
  readonly adminToken: string | undefined;
}

/**
 * POST /api/control: one command (control-command.ts) as JSON. In order: a request from another
 * site (403), controls disabled (403), a missing or wrong admin token (401), not JSON (415, 400),
 * an invalid command (400), a command the aggregator refuses (409); else 200 `{ "ok": true }`.
 */
export async function handleControl(c: Context, options: ControlRouteOptions): Promise<Response> {
  if (crossSite(c)) {
    return c.json(
      errorBody("cross-origin", "Controls only accept requests from the dashboard's own page"),
      403,
    );
  }
  if (options.access === "disabled") {
    return c.json(
      errorBody(
        "controls-disabled",
        "Controls are disabled: the aggregator listens beyond loopback and was started without --admin-token",
      ),
      403,
    );
  }
  if (options.access === "token") {
    const header = c.req.header("Authorization");
    if (!hasBearerToken(header, options.adminToken ?? "")) {
      c.header("WWW-Authenticate", 'Bearer realm="fedtau dashboard"');
      const message =
        header === undefined
          ? "Controls need the admin token: send Authorization: Bearer <token>"
          : "The admin token is wrong";
      return c.json(errorBody("unauthorized", message), 401);
    }
  }
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    return c.json(
      errorBody("unsupported-media-type", "Send the command as Content-Type: application/json"),
      415,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    return c.json(errorBody("bad-json", "The request body is not valid JSON"), 400);
  }
  const parsed = parseControlCommand(body);
  if (!parsed.ok) return c.json(errorBody("invalid-command", parsed.message), 400);
  let outcome: Awaited<ReturnType<DashboardSource["control"]>>;
  try {
    outcome = await options.source.control(parsed.command);
  } catch (e) {
    return c.json(
      errorBody(
        "control-failed",
        `The aggregator could not carry out the command: ${(e as Error).message}`,
      ),
      500,
    );
  }
  if (!outcome.ok) return c.json(errorBody("refused", outcome.message), 409);
  return c.json({ ok: true as const });
}

/** The browser says the request comes from another site, or its Origin is not this host. */
function crossSite(c: Context): boolean {
  if (c.req.header("Sec-Fetch-Site") === "cross-site") return true;
  const origin = c.req.header("Origin");
  if (origin === undefined) return false;
  try {
    return new URL(origin).host !== new URL(c.req.url).host;
  } catch {
    return true; // "null" and other unreadable origins
  }
}
