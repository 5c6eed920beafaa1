import { ClientQueue } from "./client-queue.js";
import type { WireChange } from "./wire-types.js";

/** Every change to every event-stream client: encoded once, queued per client. */
export class EventFanout {
  private readonly queues = new Set<ClientQueue>();

  constructor(
    private readonly queueCapacity: number,
    readonly maxClients: number,
  ) {}

  get clients(): number {
    return this.queues.size;
  }

  get full(): boolean {
    return this.queues.size >= this.maxClients;
  }

  /** A queue for a new client; `leave` it when the client goes. */
  join(): ClientQueue {
    const queue = new ClientQueue(this.queueCapacity);
    this.queues.add(queue);
    return queue;
  }

  leave(queue: ClientQueue): void {
    queue.close();
    this.queues.delete(queue);
  }

  publish(change: WireChange): void {
    if (this.queues.size === 0) return;
    const text = JSON.stringify(change);
    for (const queue of this.queues) queue.push(text, change.seq);
  }

  /** Ends every stream (the server is closing). */
  closeAll(): void {
    for (const queue of this.queues) queue.close();
    this.queues.clear();
  }
}
