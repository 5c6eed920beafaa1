import type { WireChange, WireSnapshot } from "../wire-types.js";

export type ConnectionStatus = "connecting" | "live" | "offline";

export interface ConnectionHandlers {
  /** A full state: replace everything. */
  onSnapshot(snapshot: WireSnapshot): void;
  /** The next change, in order, none missing. */
  onChange(change: WireChange): void;
  onStatus(status: ConnectionStatus): void;
}

/** Changes held while a state is being fetched; beyond this, they are dropped and refetched. */
const MAX_PENDING = 5_000;

/**
 * Keeps the page in step with the server: the event stream (GET api/events) and the state (GET
 * api/state). On every (re)connection and on every `resync` the state is fetched again; changes
 * that arrive meanwhile wait and are applied after it when newer (by `seq`). A gap in the
 * sequence also refetches. EventSource reconnects by itself after a dropped connection; when it
 * gives up (the server answered with an error), this reconnects with a growing delay.
 */
export class LiveConnection {
  private source: EventSource | null = null;
  private seq = -1;
  private synced = false;
  private pending: WireChange[] = [];
  private generation = 0;
  private retryMs = 1_000;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly base: URL,
    private readonly handlers: ConnectionHandlers,
  ) {}

  start(): void {
    this.connect();
  }

  private connect(): void {
    this.handlers.onStatus("connecting");
    const source = new EventSource(new URL("api/events", this.base));
    this.source = source;
    source.addEventListener("hello", () => {
      // A new stream (perhaps a new server, whose sequence starts again): only its changes count.
      this.retryMs = 1_000;
      this.pending = [];
      void this.resync();
    });
    source.addEventListener("resync", () => void this.resync());
    source.addEventListener("change", (e) =>
      this.receive(JSON.parse((e as MessageEvent<string>).data)),
    );
    source.addEventListener("error", () => {
      this.synced = false;
      this.pending = [];
      this.handlers.onStatus("offline");
      if (source.readyState === EventSource.CLOSED) this.reconnectLater();
    });
  }

  private reconnectLater(): void {
    this.source?.close();
    this.source = null;
    if (this.retryTimer !== null) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 15_000);
  }

  private receive(change: WireChange): void {
    if (!this.synced) {
      this.pending.push(change);
      if (this.pending.length > MAX_PENDING) {
        this.pending = [];
        void this.resync();
      }
      return;
    }
    if (change.seq <= this.seq) return;
    if (change.seq !== this.seq + 1) {
      this.pending.push(change);
      void this.resync();
      return;
    }
    this.seq = change.seq;
    this.handlers.onChange(change);
  }

  /** Fetches the state, then applies the changes that came meanwhile. */
  private async resync(): Promise<void> {
    const generation = ++this.generation;
    this.synced = false;
    let snapshot: WireSnapshot;
    try {
      const res = await fetch(new URL("api/state", this.base), { cache: "no-store" });
      if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
      snapshot = (await res.json()) as WireSnapshot;
    } catch {
      if (generation === this.generation) {
        this.handlers.onStatus("offline");
        setTimeout(() => {
          if (generation === this.generation) void this.resync();
        }, this.retryMs);
      }
      return;
    }
    if (generation !== this.generation) return; // a newer resync is under way
    this.seq = snapshot.seq;
    this.handlers.onSnapshot(snapshot);
    const waiting = this.pending.filter((c) => c.seq > snapshot.seq).sort((a, b) => a.seq - b.seq);
    this.pending = [];
    this.synced = true;
    this.handlers.onStatus("live");
    for (const change of waiting) this.receive(change);
  }
}
