import type { Prerequisite } from "../../../src/test-support/prerequisite.js";
import { succeeds } from "./shell.js";
import { StarNetwork } from "./star-network.js";

/** How link faults can be made on this machine, best first; undefined: not at all. */
export type ShaperKind = "netem" | "nfqueue";

export interface NetnsProbe {
  readonly prerequisite: Prerequisite;
  /** Which shaper to use when present. */
  readonly shaper: ShaperKind | undefined;
}

/**
 * Probes, once and synchronously (at test collection): iproute2's `ip` and `tc`, the right to
 * make a network namespace (made and deleted here), and a link emulator: `tc ... netem` when the
 * kernel has sch_netem, else iptables NFQUEUE with python3 (link-emulator.py).
 */
export function probeNetns(): NetnsProbe {
  const install = "apt-get install -y iproute2 iptables python3, as root";
  const missing = (name: string): NetnsProbe => ({
    prerequisite: { name, present: false, install },
    shaper: undefined,
  });
  if (!succeeds("ip", ["-V"]) || !succeeds("tc", ["-V"])) return missing("iproute2's ip and tc");
  const ns = `${StarNetwork.uniquePrefix()}-probe`;
  if (!succeeds("ip", ["netns", "add", ns])) {
    return missing("the right to create network namespaces (root, or CAP_SYS_ADMIN)");
  }
  try {
    succeeds("ip", ["-n", ns, "link", "set", "lo", "up"]);
    const shaper = probeShaper(ns);
    if (shaper === undefined) {
      return missing(
        "a link emulator: a kernel with sch_netem (tc netem), or iptables NFQUEUE and python3",
      );
    }
    return {
      prerequisite: { name: `network namespaces with ${shaper}`, present: true, install },
      shaper,
    };
  } finally {
    succeeds("ip", ["netns", "del", ns]);
  }
}

function probeShaper(ns: string): ShaperKind | undefined {
  if (succeeds("tc", ["-n", ns, "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"])) {
    return "netem";
  }
  const nfqueue =
    succeeds("python3", ["-c", "import socket; socket.AF_NETLINK"]) &&
    succeeds("ip", [
      "netns",
      "exec",
      ns,
      "iptables",
      "-A",
      "OUTPUT",
      "-o",
      "lo",
      "-j",
      "NFQUEUE",
      "--queue-num",
      "1",
      "--queue-bypass",
    ]);
  return nfqueue ? "nfqueue" : undefined;
}
