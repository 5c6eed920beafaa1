import { describe, expect, it } from "vitest";
import { AggregatorSource } from "./aggregator-source.js";
import { createDashboardApp } from "./dashboard-app.js";
import { hostAllowed } from "./host-allow-list.js";
import { svmSetup } from "./test-support/svm-setup.js";

describe("hostAllowed", () => {
  it.each([
    ["localhost", true],
    ["LOCALHOST.", true],
    ["app.localhost", true],
    ["127.0.0.1", true],
    ["10.0.0.2", true],
    ["[::1]", true],
    ["evil.example", false],
    ["localhost.evil.example", false],
    ["127.0.0.1.evil.example", false],
    ["300.1.1.1", false],
  ])("%s: %s", (name, allowed) => {
    expect(hostAllowed(name)).toBe(allowed);
  });

  it("adds the names the operator lists, exactly or with their subdomains", () => {
    expect(hostAllowed("pi.lan", ["pi.lan"])).toBe(true);
    expect(hostAllowed("other.lan", ["pi.lan"])).toBe(false);
    expect(hostAllowed("fl.example.org", [".example.org"])).toBe(true);
    expect(hostAllowed("example.org", [".example.org"])).toBe(true);
    expect(hostAllowed("badexample.org", [".example.org"])).toBe(false);
  });
});

describe("the dashboard behind its host allow-list", () => {
  function app(allowedHosts?: readonly string[]) {
    const dashboard = createDashboardApp({
      source: new AggregatorSource({ setup: svmSetup() }),
      webRoot: null,
      ...(allowedHosts === undefined ? {} : { allowedHosts }),
    });
    return dashboard;
  }

  it("refuses a rebound name on every route, state and controls alike, and names the flag", async () => {
    const dashboard = app();
    for (const [path, init] of [
      ["/api/state", {}],
      ["/api/control", { method: "POST", headers: { Origin: "http://evil.example:7420" } }],
      ["/", {}],
    ] as const) {
      const res = await dashboard.app.request(`http://evil.example:7420${path}`, init);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: {
          code: "unknown-host",
          message:
            'The dashboard does not answer to "evil.example": open it by localhost or an IP address, or list the name with --dashboard-allowed-hosts',
        },
      });
    }
    expect((await dashboard.app.request("http://127.0.0.1:7420/api/state")).status).toBe(200);
    expect((await dashboard.app.request("http://localhost:7420/api/state")).status).toBe(200);
    dashboard.close();
  });

  it("answers to a name the operator listed", async () => {
    const dashboard = app(["pi.lan"]);
    expect((await dashboard.app.request("http://pi.lan:7420/api/state")).status).toBe(200);
    dashboard.close();
  });
});
