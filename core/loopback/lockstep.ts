/**
 * The two-tab loopback line: two fax endpoints in different tabs (or threads) exchange 160-sample
 * (20 ms) blocks over a message channel (a BroadcastChannel in the page) in lockstep, the way
 * spandsp's faxrelay joins two faxpeers: each side sends one block for each block it receives,
 * so the line runs as fast as the two endpoints compute, exactly the same every run, and each
 * direction has a fixed one-block delay.
 *
 * How: both ends post `hello` (with a random id and their role) until they hear an end of the
 * other role; then the calling end sends block 0 and the answering end replies to each block.
 * Blocks carry a sequence number; duplicates and blocks from a third tab are ignored. Each
 * received block passes through the receiver's impairment function (noise, gain, offset from
 * core/line) before the endpoint hears it. When an endpoint finishes it sends `bye`; the other
 * end then runs on with silence until it finishes too or `maxBlocks` is reached.
 * Pure: no DOM, no timers; the page wires `post`/`handle` to a BroadcastChannel.
 */
export const BLOCK = 160;

export type LockstepMessage =
  | { type: 'hello'; id: string; calling: boolean; to?: string }
  | { type: 'block'; from: string; to: string; seq: number; samples: Float32Array }
  | { type: 'bye'; from: string; to: string; reason: string };

/** One side of a call: hears `rx`, fills `tx`; returns false once it has finished. */
export interface LineEndpoint {
  process(rx: Float32Array, tx: Float32Array): boolean;
}

export interface LockstepOptions {
  id: string;
  calling: boolean;
  /** Impair a received block in place (noise, gain, offset). */
  impair?: (block: Float32Array) => void;
  /** Give up after this many blocks (default 15 minutes of line). */
  maxBlocks?: number;
}

export type LockstepEvent =
  | { kind: 'paired'; peer: string }
  | { kind: 'conflict'; text: string }
  | { kind: 'ended'; reason: 'finished' | 'peer-finished' | 'limit' | 'stopped'; blocks: number };

export class LockstepLine {
  /** Blocks this side has processed (so line time = blocks * 20 ms). */
  blocks = 0;
  peer: string | null = null;
  private readonly rx = new Float32Array(BLOCK);
  private readonly silence = new Float32Array(BLOCK);
  private expectSeq = 0;
  private finished = false;
  private peerGone = false;
  private readonly maxBlocks: number;

  constructor(
    private readonly post: (m: LockstepMessage) => void,
    private readonly endpoint: LineEndpoint,
    private readonly opts: LockstepOptions,
    private readonly onEvent: (e: LockstepEvent) => void = () => {},
  ) {
    this.maxBlocks = opts.maxBlocks ?? 15 * 60 * 50;
  }

  /** Announce ourselves; call again (e.g. every second) until paired. */
  announce(): void {
    if (!this.peer && !this.finished) this.post({ type: 'hello', id: this.opts.id, calling: this.opts.calling });
  }

  get done(): boolean {
    return this.finished;
  }

  /** Stop from outside (hang up): tells the peer. */
  stop(reason = 'hung up'): void {
    if (this.finished) return;
    if (this.peer) this.post({ type: 'bye', from: this.opts.id, to: this.peer, reason });
    this.end('stopped');
  }

  handle(m: LockstepMessage): void {
    if (this.finished) return;
    switch (m.type) {
      case 'hello':
        if (m.id === this.opts.id || this.peer) return;
        if (m.to && m.to !== this.opts.id) return;
        if (m.calling === this.opts.calling) {
          this.onEvent({ kind: 'conflict', text: `the other tab is also set to ${m.calling ? 'call' : 'answer'}; set one tab to call and the other to answer` });
          return;
        }
        this.peer = m.id;
        // Answer the hello so a peer that started first learns of us too.
        this.post({ type: 'hello', id: this.opts.id, calling: this.opts.calling, to: m.id });
        this.onEvent({ kind: 'paired', peer: m.id });
        if (this.opts.calling) this.step(this.silence);
        return;
      case 'block':
        if (m.from !== this.peer || m.to !== this.opts.id || m.seq !== this.expectSeq) return;
        this.expectSeq++;
        this.rx.set(m.samples.subarray(0, BLOCK));
        this.step(this.rx);
        return;
      case 'bye':
        if (m.from !== this.peer || m.to !== this.opts.id) return;
        this.peerGone = true;
        // Run on alone against silence until our endpoint finishes (it will time out on T1/T2).
        while (!this.finished) this.step(this.silence);
        return;
    }
  }

  private step(heard: Float32Array): void {
    if (heard !== this.silence) this.opts.impair?.(heard);
    const tx = new Float32Array(BLOCK); // sent away (transferred), so a fresh array each block
    const more = this.endpoint.process(heard, tx);
    this.blocks++;
    if (!more) {
      if (this.peer && !this.peerGone) this.post({ type: 'bye', from: this.opts.id, to: this.peer, reason: 'finished' });
      this.end(this.peerGone ? 'peer-finished' : 'finished');
      return;
    }
    if (this.blocks >= this.maxBlocks) {
      if (this.peer) this.post({ type: 'bye', from: this.opts.id, to: this.peer, reason: 'time limit' });
      this.end('limit');
      return;
    }
    if (!this.peerGone && this.peer) this.post({ type: 'block', from: this.opts.id, to: this.peer, seq: this.blocks - 1, samples: tx });
  }

  private end(reason: 'finished' | 'peer-finished' | 'limit' | 'stopped'): void {
    this.finished = true;
    this.onEvent({ kind: 'ended', reason, blocks: this.blocks });
  }
}
