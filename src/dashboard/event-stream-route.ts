import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { errorBody } from "./error-body.js";
import type { EventFanout } from "./event-fanout.js";
import type { WireHello } from "./wire-types.js";

/** How long a browser waits before reconnecting a dropped stream, ms (sent as `retry:`). */
const RETRY_MS = 2_000;

/**
 * GET /api/events: server-sent events. First `hello` ({epoch, seq}); then one `change` per
 * change (data: a WireChange, id: its seq); `resync` (data: {epoch, seq}) when the client fell
 * too far behind and changes were dropped: refetch /api/state. A comment line every
 * `heartbeatMs` keeps idle connections open.
 */
export function streamEvents(
  c: Context,
  fanout: EventFanout,
  hello: () => WireHello,
  heartbeatMs: number,
): Response {
  if (fanout.full) {
    return c.json(
      errorBody(
        "too-many-clients",
        `At most ${fanout.maxClients} pages may follow the events at once`,
      ),
      503,
    );
  }
  const queue = fanout.join();
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    stream.onAbort(() => fanout.leave(queue));
    try {
      await stream.writeSSE({ event: "hello", data: JSON.stringify(hello()), retry: RETRY_MS });
      while (!stream.aborted && !queue.closed) {
        const item = queue.take();
        if (item === null) {
          if (!(await queue.wait(heartbeatMs)) && !stream.aborted) await stream.write(": ping\n\n");
        } else if (item.kind === "resync") {
          await stream.writeSSE({ event: "resync", data: JSON.stringify(hello()) });
        } else {
          await stream.writeSSE({ event: "change", id: String(item.seq), data: item.text });
        }
      }
    } finally {
      fanout.leave(queue);
    }
  });
}
