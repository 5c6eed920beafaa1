import { Option } from "commander";

/** `--dashboard-allowed-hosts`, the same on `aggregator` and `demo` (host-allow-list.ts). */
export function dashboardHostsOption(): Option {
  return new Option(
    "--dashboard-allowed-hosts <names>",
    'host names the page answers to besides localhost and IP addresses, comma-separated (".example.org" for a domain and its subdomains); others get 403, against DNS rebinding',
  ).argParser((text: string) =>
    text
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== ""),
  );
}
