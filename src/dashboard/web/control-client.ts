import type { ControlCommand } from "../control-command.js";
import type { WireError } from "../wire-types.js";

export type ControlReply = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Sends one command to POST api/control, with the admin token when there is one. */
export async function sendControl(
  base: URL,
  command: ControlCommand,
  token: string,
): Promise<ControlReply> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(new URL("api/control", base), {
      method: "POST",
      headers,
      body: JSON.stringify(command),
    });
  } catch {
    return { ok: false, message: "The aggregator cannot be reached" };
  }
  if (res.ok) return { ok: true };
  if (res.status === 401) {
    return {
      ok: false,
      message: token ? "The admin token is wrong" : "Enter the admin token first",
    };
  }
  try {
    const body = (await res.json()) as WireError;
    return { ok: false, message: body.error.message };
  } catch {
    return { ok: false, message: `The aggregator answered HTTP ${res.status}` };
  }
}
