import { randomBytes } from "node:crypto";
import { sh, shQuiet } from "./shell.js";

/** One host of the star: its namespace, its address, its link to the router. */
export interface StarHost {
  readonly name: string;
  /** The network namespace it lives in. */
  readonly ns: string;
  /** Its address on its link, 10.77.LINK.2. */
  readonly address: string;
  /** Its link's number: 0, 1, 2... in the order given. */
  readonly link: number;
  /** Its end of the link, in its own namespace. */
  readonly dev: string;
  /** The router's end of the link, in the router's namespace. */
  readonly routerDev: string;
}

/**
 * Separate hosts on this machine: one network namespace per host and one for a router between
 * them, each host joined to the router by its own veth link (10.77.LINK.0/24: router .1, host
 * .2), the router forwarding. Addresses exist only inside these namespaces; nothing is set up in
 * the machine's own namespace. Namespace names are unique per run (a random prefix).
 */
export class StarNetwork {
  readonly router: string;
  readonly prefix: string;
  private readonly hosts = new Map<string, StarHost>();
  /** Every namespace made, so that destroy() removes exactly those, even after a failure. */
  private readonly made: string[] = [];

  private constructor(prefix: string) {
    this.prefix = prefix;
    this.router = `${prefix}-router`;
  }

  /** Unique per run: "ft" + the pid + random hex. */
  static uniquePrefix(): string {
    return `ft${process.pid.toString(36)}${randomBytes(3).toString("hex")}`;
  }

  /** Builds the star; on failure removes what it made and rethrows. */
  static async create(hostNames: readonly string[], prefix = StarNetwork.uniquePrefix()) {
    const net = new StarNetwork(prefix);
    try {
      await net.addNamespace(net.router);
      await sh("ip", ["netns", "exec", net.router, "sysctl", "-qw", "net.ipv4.ip_forward=1"]);
      for (const [link, name] of hostNames.entries()) await net.addHost(name, link);
    } catch (error) {
      await net.destroy();
      throw error;
    }
    return net;
  }

  host(name: string): StarHost {
    const h = this.hosts.get(name);
    if (h === undefined) throw new Error(`No host "${name}" in the star`);
    return h;
  }

  get hostList(): StarHost[] {
    return [...this.hosts.values()];
  }

  /** Cuts a host's link (the router's end goes down: no carrier on either end). */
  async cut(name: string): Promise<void> {
    await sh("ip", ["-n", this.router, "link", "set", this.host(name).routerDev, "down"]);
  }

  /** Brings a cut link back up. */
  async restore(name: string): Promise<void> {
    await sh("ip", ["-n", this.router, "link", "set", this.host(name).routerDev, "up"]);
  }

  /** Destroys a host's TCP sockets to `address` (`ss -K`): its connection state is gone. */
  async killSockets(name: string, address: string): Promise<void> {
    await sh("ip", ["netns", "exec", this.host(name).ns, "ss", "-K", "dst", address]);
  }

  /** Deletes every namespace it made (their links go with them). Never throws. */
  async destroy(): Promise<void> {
    for (const ns of this.made.splice(0).reverse()) await shQuiet("ip", ["netns", "del", ns]);
  }

  private async addNamespace(ns: string): Promise<void> {
    await sh("ip", ["netns", "add", ns]);
    this.made.push(ns);
    await sh("ip", ["-n", ns, "link", "set", "lo", "up"]);
  }

  private async addHost(name: string, link: number): Promise<void> {
    const ns = `${this.prefix}-${name}`;
    await this.addNamespace(ns);
    const host: StarHost = {
      name,
      ns,
      address: `10.77.${link}.2`,
      link,
      dev: "eth0",
      routerDev: `r-${link}`,
    };
    // Made straight inside the two namespaces: nothing appears in the machine's own.
    await sh("ip", [
      "link",
      "add",
      host.dev,
      "netns",
      ns,
      "type",
      "veth",
      "peer",
      "name",
      host.routerDev,
      "netns",
      this.router,
    ]);
    await sh("ip", ["-n", ns, "addr", "add", `${host.address}/24`, "dev", host.dev]);
    await sh("ip", ["-n", ns, "link", "set", host.dev, "up"]);
    await sh("ip", ["-n", this.router, "addr", "add", `10.77.${link}.1/24`, "dev", host.routerDev]);
    await sh("ip", ["-n", this.router, "link", "set", host.routerDev, "up"]);
    await sh("ip", ["-n", ns, "route", "add", "default", "via", `10.77.${link}.1`]);
    this.hosts.set(name, host);
  }
}
