import type { StarHost } from "./star-network.js";

/** What a link does to every packet, each direction: held delay +- jitter ms, lost with `loss`. */
export interface LinkCondition {
  readonly delayMs: number;
  readonly jitterMs: number;
  /** Probability in [0, 1]. */
  readonly loss: number;
}

export const CLEAN_LINK: LinkCondition = { delayMs: 0, jitterMs: 0, loss: 0 };

/** Puts conditions on the links of a StarNetwork's hosts. */
export interface LinkShaper {
  /** "netem" (tc qdisc netem) or "nfqueue" (iptables NFQUEUE + link-emulator.py). */
  readonly kind: "netem" | "nfqueue";
  set(host: StarHost, condition: LinkCondition): Promise<void>;
  /** Packets dropped on purpose so far, over every shaped link. */
  dropped(): Promise<number>;
  /** Takes the conditions off. Never throws. */
  close(): Promise<void>;
}

/** netem's arguments for a condition; empty for a clean link. */
export function netemArgs(c: LinkCondition): string[] {
  const args: string[] = [];
  if (c.delayMs > 0 || c.jitterMs > 0) {
    args.push("delay", `${c.delayMs}ms`);
    if (c.jitterMs > 0) args.push(`${c.jitterMs}ms`);
  }
  if (c.loss > 0) args.push("loss", `${+(c.loss * 100).toFixed(4)}%`);
  return args;
}
