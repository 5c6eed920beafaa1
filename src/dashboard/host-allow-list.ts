/**
 * Which names the dashboard answers to (the request's Host). A page of another site can make a
 * browser send requests to 127.0.0.1 under its own name (DNS rebinding: evil.example resolves
 * to 127.0.0.1), and such requests carry that name in Host and Origin alike, so the same-origin
 * checks of the controls cannot tell them apart. A name is allowed when it is localhost (or
 * ends in .localhost), an IP address (no rebinding without a name), or one the operator listed
 * (`--dashboard-allowed-hosts`: an exact name, or ".example.org" for it and its subdomains).
 */
export function hostAllowed(hostname: string, listed: readonly string[] = []): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIpAddress(name)) return true;
  return listed.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith(".") ? name === e.slice(1) || name.endsWith(e) : name === e;
  });
}

/** An IPv4 address in dotted form, or an IPv6 address (URL host names keep its brackets). */
function isIpAddress(name: string): boolean {
  if (name.startsWith("[") && name.endsWith("]")) return true;
  const parts = name.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
