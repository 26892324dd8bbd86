import net from 'node:net';

/**
 * A minimal HTTP/1.1 client over keep-alive sockets, for the load generator only: one request at
 * a time per connection (as the SDK's keep-alive agent sends), the request head written as one
 * string and the body's chunks corked into the same write, and the answer read just far enough
 * for its status, Retry-After and end. `node:http`'s client cost the generator ~135–200 µs of CPU
 * per typical event, more than a fifth of what the server spends on it, and the issue's target
 * counts the generator's CPU against the same two cores (docs/performance.md).
 */

export interface Answer {
  status: number;
  /** The Retry-After header as sent, or undefined. */
  retryAfter?: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');
/** An answer head longer than this is not what the server sends; fail instead of buffering on. */
const MAX_HEAD_BYTES = 16 * 1024;

interface Pending {
  resolve(answer: Answer): void;
  reject(error: Error): void;
}

/** One socket, one request at a time. */
class Connection {
  private readonly socket: net.Socket;
  private pending: Pending | null = null;
  private received: Buffer | null = null;
  /** Set once the head is read: the answer, and how many body bytes (or chunked) remain. */
  private answer: Answer | null = null;
  private bodyLength = 0;
  private chunked = false;
  private closeAfter = false;
  usable = true;

  constructor(host: string, port: number, timeoutMs: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.setTimeout(timeoutMs);
    this.socket.on('data', (data: Buffer) => this.onData(data));
    this.socket.on('timeout', () => this.fail(new Error('request timed out')));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  send(head: string, chunks: readonly Uint8Array[]): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.cork();
      this.socket.write(head, 'latin1');
      for (const chunk of chunks) this.socket.write(chunk);
      this.socket.uncork();
    });
  }

  destroy(): void {
    this.usable = false;
    this.socket.destroy();
  }

  private onData(data: Buffer): void {
    this.received = this.received ? Buffer.concat([this.received, data]) : data;
    if (!this.pending) {
      this.fail(new Error('the server sent bytes nobody asked for'));
      return;
    }
    if (!this.answer && !this.readHead()) return;
    if (!this.bodyComplete()) return;
    const { resolve } = this.pending;
    const answer = this.answer!;
    this.pending = null;
    this.answer = null;
    this.received = null;
    if (this.closeAfter) this.destroy();
    resolve(answer);
  }

  /** Parses the head once it is all here; false while it is not. */
  private readHead(): boolean {
    const received = this.received!;
    const end = received.indexOf(HEAD_END);
    if (end < 0) {
      if (received.length > MAX_HEAD_BYTES) this.fail(new Error('answer head too long'));
      return false;
    }
    const lines = received.toString('latin1', 0, end).split('\r\n');
    const status = Number(lines[0].slice(9, 12));
    if (!lines[0].startsWith('HTTP/1.') || !Number.isInteger(status)) {
      this.fail(new Error(`not an HTTP answer: ${JSON.stringify(lines[0].slice(0, 40))}`));
      return false;
    }
    const answer: Answer = { status };
    this.bodyLength = 0;
    this.chunked = false;
    this.closeAfter = false;
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(':');
      const name = lines[i].slice(0, colon).toLowerCase();
      const value = lines[i].slice(colon + 1).trim();
      if (name === 'content-length') this.bodyLength = Number(value);
      else if (name === 'transfer-encoding') this.chunked = value.toLowerCase().includes('chunked');
      else if (name === 'connection') this.closeAfter = value.toLowerCase() === 'close';
      else if (name === 'retry-after') answer.retryAfter = value;
    }
    this.received = received.subarray(end + HEAD_END.length);
    this.answer = answer;
    return true;
  }

  /** The body is skipped, not read: true once all of it has arrived. */
  private bodyComplete(): boolean {
    const received = this.received!;
    // The server's answers are small; a chunked one is complete at its last-chunk marker.
    if (this.chunked)
      return received.length >= CHUNKED_END.length && received.subarray(-5).equals(CHUNKED_END);
    if (received.length > this.bodyLength) {
      this.fail(new Error('the server sent more than one answer'));
      return false;
    }
    return received.length === this.bodyLength;
  }

  private fail(error: Error): void {
    this.destroy();
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}

/** Up to `maxSockets` keep-alive connections to one origin; requests beyond that wait in order. */
export class KeepAlivePool {
  private readonly idle: Connection[] = [];
  private readonly waiting: ((connection: Connection) => void)[] = [];
  private open = 0;
  private readonly host: string;
  private readonly port: number;
  private readonly maxSockets: number;
  private readonly timeoutMs: number;

  constructor(host: string, port: number, maxSockets: number, timeoutMs: number) {
    this.host = host;
    this.port = port;
    this.maxSockets = maxSockets;
    this.timeoutMs = timeoutMs;
  }

  async request(head: string, chunks: readonly Uint8Array[]): Promise<Answer> {
    const connection = await this.acquire();
    try {
      return await connection.send(head, chunks);
    } finally {
      this.release(connection);
    }
  }

  destroy(): void {
    for (const connection of this.idle) connection.destroy();
    this.idle.length = 0;
  }

  private acquire(): Promise<Connection> | Connection {
    for (let ready = this.idle.pop(); ready; ready = this.idle.pop()) {
      if (ready.usable) return ready;
      this.open--; // closed while idle (the server's keep-alive timeout, or ours)
    }
    if (this.open < this.maxSockets) {
      this.open++;
      return new Connection(this.host, this.port, this.timeoutMs);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: Connection): void {
    let next = connection;
    if (!connection.usable) {
      this.open--;
      if (this.waiting.length === 0) return;
      this.open++;
      next = new Connection(this.host, this.port, this.timeoutMs);
    }
    const waiter = this.waiting.shift();
    if (waiter) waiter(next);
    else this.idle.push(next);
  }
}
