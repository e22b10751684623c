import type { TMessage, TServerToClientEvents } from '@peakdesk/contracts';
import type { Socket } from 'socket.io-client';

/**
 * Customer messages as the agents' sockets receive them, by client id: first deliveries (with
 * send → receive latency when the send time is known) and repeats, for throughput, latency, lost
 * and duplicated. Understands both push frames: `message:new` and `message:batch`.
 */
export class AgentDeliveries {
  readonly sentAt = new Map<string, number>();
  readonly received = new Map<string, number>();
  latencies: number[] = [];
  /** Send (or scheduled send) time of each latency sample, in the same order as `latencies`. */
  sentTimes: number[] = [];
  delivered = 0;

  listen(socket: Socket<TServerToClientEvents>): void {
    socket.on('message:new', (m) => this.receive(m));
    socket.on('message:batch', (ms) => {
      for (const m of ms) this.receive(m);
    });
  }

  /** Forgets the latency samples (the next phase starts). */
  resetLatencies(): void {
    this.latencies = [];
    this.sentTimes = [];
  }

  /** Deliveries beyond the first, over client ids starting with `prefix`. */
  duplicated(prefix = ''): number {
    let n = 0;
    for (const [id, count] of this.received) if (id.startsWith(prefix)) n += count - 1;
    return n;
  }

  private receive(m: TMessage): void {
    if (m.senderType !== 'customer') return;
    const n = (this.received.get(m.clientId) ?? 0) + 1;
    this.received.set(m.clientId, n);
    if (n > 1) return;
    this.delivered++;
    const t = this.sentAt.get(m.clientId);
    if (t === undefined) return;
    this.latencies.push(performance.now() - t);
    this.sentTimes.push(t);
  }
}
