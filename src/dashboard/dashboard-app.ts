import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { controlAccess } from "./control-auth.js";
import { handleControl } from "./control-route.js";
import { type DashboardLimits, DEFAULT_LIMITS } from "./dashboard-limits.js";
import type { DashboardSource } from "./dashboard-source.js";
import { DashboardState } from "./dashboard-state.js";
import { errorBody } from "./error-body.js";
import { EventFanout } from "./event-fanout.js";
import { streamEvents } from "./event-stream-route.js";
import { hostAllowed } from "./host-allow-list.js";
import { defaultWebRoot, StaticFiles } from "./static-files.js";
import type { ControlAccess } from "./wire-types.js";

export interface DashboardOptions {
  readonly source: DashboardSource;
  /** The server listens beyond loopback: controls then need the admin token (default false). */
  readonly beyondLoopback?: boolean;
  /** `--admin-token`: when given, controls always need it. */
  readonly adminToken?: string;
  /** The built page (default: dist/dashboard-web/); null serves the API only. */
  readonly webRoot?: string | null;
  readonly limits?: Partial<DashboardLimits>;
  /** A comment line on idle event streams this often, ms (default 15,000). */
  readonly heartbeatMs?: number;
  /**
   * Host names the dashboard answers to besides localhost and IP addresses
   * (`--dashboard-allowed-hosts`; host-allow-list.ts says why).
   */
  readonly allowedHosts?: readonly string[];
}

export interface DashboardApp {
  readonly app: Hono;
  /** The web-standard handler: `app.fetch`. */
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly state: DashboardState;
  readonly access: ControlAccess;
  /** Stops following the source and ends every event stream. */
  close(): void;
}

/** Longest body of POST /api/control, bytes. */
const CONTROL_BODY_BYTES = 4_096;

/** Headers of the page and its files: no framing (the controls), no sniffing, same-origin only. */
const PAGE_HEADERS: Record<string, string> = {
  "Content-Security-Policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
};

/**
 * The dashboard as a hono app: the page (GET / and its assets), the state (GET /api/state),
 * the live changes (GET /api/events, server-sent events) and the controls (POST
 * /api/control). It subscribes to the source at once and holds the state, folded from the
 * source's changes, once (DashboardState), streaming each change to every page. Testable with `app.request(...)`, no port needed.
 */
export function createDashboardApp(options: DashboardOptions): DashboardApp {
  const limits: DashboardLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const { source } = options;
  const access = controlAccess({
    beyondLoopback: options.beyondLoopback ?? false,
    adminToken: options.adminToken,
  });
  const state = new DashboardState(source.settings(), limits);
  const fanout = new EventFanout(limits.clientQueue, limits.clients);
  const unsubscribe = source.subscribe((change) => {
    const wire = state.apply(change);
    if (wire !== null) fanout.publish(wire);
  });
  const files = new StaticFiles(options.webRoot === undefined ? defaultWebRoot() : options.webRoot);
  const heartbeatMs = options.heartbeatMs ?? 15_000;

  const app = new Hono();
  const allowedHosts = options.allowedHosts ?? [];

  app.use("*", async (c, next) => {
    const { hostname } = new URL(c.req.url);
    if (hostAllowed(hostname, allowedHosts)) return next();
    return c.json(
      errorBody(
        "unknown-host",
        `The dashboard does not answer to "${hostname}": open it by localhost or an IP address, or list the name with --dashboard-allowed-hosts`,
      ),
      403,
    );
  });

  app.get("/api/state", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(state.snapshot(access));
  });

  app.get("/api/events", (c) =>
    streamEvents(c, fanout, () => ({ epoch: state.epoch, seq: state.seq }), heartbeatMs),
  );

  app.post(
    "/api/control",
    bodyLimit({
      maxSize: CONTROL_BODY_BYTES,
      onError: (c) =>
        c.json(errorBody("too-large", `A command is at most ${CONTROL_BODY_BYTES} bytes`), 413),
    }),
    (c) => handleControl(c, { source, access, adminToken: options.adminToken }),
  );

  app.all("/api/*", (c) =>
    c.json(errorBody("not-found", `No ${c.req.method} ${new URL(c.req.url).pathname}`), 404),
  );

  app.get("*", async (c) => {
    const path = new URL(c.req.url).pathname;
    const file = await files.get(path === "/" ? "/index.html" : path);
    if (file === null) {
      if (path === "/" && !files.built) {
        return c.text(
          "The dashboard page is not built: run `npm run build` (it builds dist/dashboard-web/).",
          503,
        );
      }
      return c.text(`Not found: ${path}`, 404);
    }
    for (const [name, value] of Object.entries(PAGE_HEADERS)) c.header(name, value);
    c.header("Content-Type", file.contentType);
    c.header("Cache-Control", file.immutable ? "public, max-age=31536000, immutable" : "no-cache");
    return c.body(file.body as Uint8Array<ArrayBuffer>);
  });

  return {
    app,
    fetch: (request) => app.fetch(request),
    state,
    access,
    close: () => {
      unsubscribe();
      fanout.closeAll();
    },
  };
}
