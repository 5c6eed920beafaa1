import { type LinkCondition, type LinkShaper, netemArgs } from "./link-condition.js";
import { sh, shQuiet } from "./shell.js";
import type { StarHost, StarNetwork } from "./star-network.js";

/**
 * Link conditions with `tc qdisc ... netem` on both ends of a host's link (the router's end
 * shapes what goes to the host, the host's end what leaves it). Needs a kernel with sch_netem.
 */
export class NetemShaper implements LinkShaper {
  readonly kind = "netem";
  private readonly net: StarNetwork;
  private readonly shaped = new Set<StarHost>();

  constructor(net: StarNetwork) {
    this.net = net;
  }

  async set(host: StarHost, condition: LinkCondition): Promise<void> {
    const args = netemArgs(condition);
    for (const [ns, dev] of this.ends(host)) {
      if (args.length === 0) await shQuiet("tc", ["-n", ns, "qdisc", "del", "dev", dev, "root"]);
      else await sh("tc", ["-n", ns, "qdisc", "replace", "dev", dev, "root", "netem", ...args]);
    }
    this.shaped.add(host);
  }

  async dropped(): Promise<number> {
    let total = 0;
    for (const host of this.shaped) {
      for (const [ns, dev] of this.ends(host)) {
        const stats = await sh("tc", ["-s", "-n", ns, "qdisc", "show", "dev", dev]);
        for (const m of stats.matchAll(/netem[\s\S]*?dropped (\d+)/g)) total += Number(m[1]);
      }
    }
    return total;
  }

  async close(): Promise<void> {
    for (const host of this.shaped) {
      for (const [ns, dev] of this.ends(host)) {
        await shQuiet("tc", ["-n", ns, "qdisc", "del", "dev", dev, "root"]);
      }
    }
    this.shaped.clear();
  }

  private ends(host: StarHost): [string, string][] {
    return [
      [this.net.router, host.routerDev],
      [host.ns, host.dev],
    ];
  }
}
