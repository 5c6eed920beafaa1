import { describe, expect, it } from "vitest";
import { NodeRegistry } from "./node-registry.js";
import type { NodeSession } from "./node-session.js";

/** Just what the registry reads of a session. */
function session(name: string): NodeSession & { open: boolean } {
  const s = {
    id: name,
    open: true,
    get isOpen() {
      return s.open;
    },
  };
  return s as unknown as NodeSession & { open: boolean };
}

describe("NodeRegistry", () => {
  it("keeps first-registration order; a node that comes back keeps its place", () => {
    const r = new NodeRegistry();
    const a = session("a");
    const b = session("b");
    r.register("a", a);
    r.register("b", b);
    a.open = false;
    r.remove(a);
    expect(r.connected()).toEqual(["b"]);
    r.register("a", session("a"));
    expect(r.connected()).toEqual(["a", "b"]);
  });

  it("forgets the oldest absent names beyond its limit, never a connected one", () => {
    const r = new NodeRegistry(2);
    const keep = session("keep");
    r.register("keep", keep);
    for (let i = 0; i < 50; i++) {
      const s = session(`gone-${i}`);
      r.register(`gone-${i}`, s);
      s.open = false;
      r.remove(s);
    }
    // Only the two most recent absent names are remembered: gone-48 comes back in its place.
    r.register("gone-48", session("gone-48"));
    r.register("gone-0", session("gone-0"));
    expect(r.connected()).toEqual(["keep", "gone-48", "gone-0"]);
  });
});
