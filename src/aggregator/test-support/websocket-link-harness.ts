import { WebSocket } from "ws";
import type {
  LinkUnderTest,
  NodeLinkHarness,
  NodeMove,
} from "../../core/federation/test-support/node-link-conformance.js";
import {
  decodeFrame,
  encodeFrame,
  type LogEntry,
  type ProtocolMessage,
  type SetupMessage,
} from "../../protocol/index.js";
import { sampleMessages } from "../../protocol/test-support/sample-messages.js";
import { FramedServer } from "../../transport/index.js";
import { FakeTimers } from "../../transport/test-support/fake-timers.js";
import { NodeSession } from "../node-session.js";
import { sharedRoundStarts } from "../shared-round-starts.js";
import { stopNoticeOf } from "../stop-notice.js";
import { WebSocketLink } from "../websocket-link.js";

const RUN_ID = "run-1";
const NODE = "n1";
/** Every round's deadline; it passes only when the fake timers are moved on. */
const DEADLINE_MS = 5_000;

/** What the harness's WebSocketLink logged, for tests that read the session's notes. */
export type HarnessLog = LogEntry[];

/**
 * The WebSocketLink of one node as the aggregator wires it (a NodeSession on a real socket, the
 * run's shared RoundStarts), its round deadlines on fake timers, and at the far end a plain
 * WebSocket client that registers, answers Setup with Ready, and plays the suite's moves frame by
 * frame: garbage goes straight onto the socket.
 */
export function websocketLinkHarness(log: HarnessLog = []): NodeLinkHarness {
  return {
    name: "WebSocketLink",
    can: ["garbage", "disconnect", "silence", "several-answers", "stop"],
    async create({ modelSize, node }): Promise<LinkUnderTest> {
      const timers = new FakeTimers();
      const changed = new Signal();
      let session: NodeSession | undefined;
      let serverClosed = false;
      let taken = 0;
      let asked = 0;
      const setup: SetupMessage = { ...sampleMessages(modelSize).setup, runId: RUN_ID };
      const server = await FramedServer.listen({}, ({ connection, remote }) => {
        session = new NodeSession(connection, remote, {
          onRegister: (s, m) => {
            s.admit(m.id, 0);
            s.startRun(setup);
          },
          onReadyChange: () => changed.notify(),
          onClosed: () => {
            serverClosed = true;
            changed.notify();
          },
          log: (entry) => log.push(entry),
          now: () => 0,
          timers,
        });
        // After the session's own listener: counts what it has already dealt with.
        connection.onMessage(() => {
          taken++;
          changed.notify();
        });
        connection.onSent(({ message }) => {
          if (message.type === "round-start") asked++;
        });
      });

      const ws = new WebSocket(server.url);
      await new Promise<void>((resolve, reject) => {
        ws.once("open", () => resolve());
        ws.once("error", reject);
      });
      let seq = 0;
      let sent = 0;
      let handled = 0;
      let gone = false;
      let stop: { readonly finalWeights?: Float64Array } | undefined;
      const put = (bytes: Uint8Array) => {
        ws.send(bytes);
        sent++;
      };
      const send = (m: ProtocolMessage) => put(encodeFrame(m, { seq: ++seq }));
      const play = (move: NodeMove) => {
        if (gone) return;
        switch (move.kind) {
          case "report":
            send({ type: "round-result", runId: RUN_ID, report: move.report });
            return;
          case "fail":
            send({ type: "error", runId: RUN_ID, code: "internal", message: move.reason });
            return;
          case "garbage":
            put(Uint8Array.of(0xff, 0x13, 0x37));
            return;
          case "disconnect":
            gone = true;
            ws.terminate();
            return;
        }
      };
      ws.on("message", (data) => {
        const got = decodeFrame(data as Buffer, { from: "aggregator" });
        if (!got.ok) return;
        const m = got.message;
        if (m.type === "setup") {
          send({ type: "ready", runId: m.runId, dataSize: 12, labelHistogram: [] });
        } else if (m.type === "round-start") {
          for (const move of node(m.order)) play(move);
          handled++;
        } else if (m.type === "stop") {
          stop = m;
        }
        changed.notify();
      });
      send({
        type: "register",
        id: NODE,
        token: "",
        capabilities: { float32Vectors: false, sharePreview: false },
        software: "conformance node",
      });
      await changed.until(() => session?.readyFor(RUN_ID) === true);

      const link = new WebSocketLink(NODE, {
        runId: RUN_ID,
        // As the aggregator's registry: a closed session is no longer the node's.
        session: () => (serverClosed ? undefined : session),
        deadlineMs: () => DEADLINE_MS,
        roundStart: sharedRoundStarts(RUN_ID),
        stopNotice: (stop) => stopNoticeOf(stop, "operator"),
      });
      return {
        link,
        settled: () =>
          // A node that went away has settled once the session has seen the close; a refused
          // frame closes the connection too, and nothing after it is read.
          changed.until(() => serverClosed || (!gone && handled >= asked && taken >= sent)),
        passDeadline: () => timers.advance(DEADLINE_MS),
        stopHeard: async () => {
          await changed.until(() => stop !== undefined || gone);
          return stop?.finalWeights;
        },
        close: async () => {
          ws.terminate();
          await server.close();
        },
      };
    },
  };
}

/** "Something changed" for the harness's waits: every frame, close and answer notifies. */
class Signal {
  private waiters: (() => void)[] = [];

  notify(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w();
  }

  async until(done: () => boolean): Promise<void> {
    while (!done()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}
