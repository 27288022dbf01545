// The two-tab lockstep line, run over Node's own BroadcastChannel (the same API the page's tabs
// use): pairing, every block delivered once and in order with a fixed one-block delay, role
// conflicts reported, a finished peer leaves the other running on silence, a third tab ignored.
import { describe, it, expect } from 'vitest';
import { LockstepLine, BLOCK, type LineEndpoint, type LockstepMessage, type LockstepEvent } from '../../core/loopback/lockstep';

/** Sends block k filled with value (base + k) for `n` blocks; records the first sample of every block it hears. */
class Counter implements LineEndpoint {
  heard: number[] = [];
  private k = 0;
  constructor(private readonly base: number, private readonly n: number) {}
  process(rx: Float32Array, tx: Float32Array): boolean {
    this.heard.push(rx[0]!);
    // A block's samples must all agree: nothing was cut or mixed.
    for (let i = 1; i < BLOCK; i++) if (rx[i] !== rx[0]) throw new Error('block torn');
    tx.fill(this.base + this.k);
    return ++this.k < this.n;
  }
}

function endOn(line: LockstepLine, events: LockstepEvent[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('lockstep line never ended')), 20_000);
    const poll = setInterval(() => { if (line.done) { clearTimeout(t); clearInterval(poll); resolve(); } }, 5);
    void events;
  });
}

function tab(name: string, endpoint: LineEndpoint, calling: boolean, id: string, maxBlocks?: number) {
  const bc = new BroadcastChannel(name);
  const events: LockstepEvent[] = [];
  const line = new LockstepLine((m) => bc.postMessage(m), endpoint, { id, calling, maxBlocks }, (e) => events.push(e));
  bc.onmessage = (e: MessageEvent<LockstepMessage>) => line.handle(e.data);
  return { bc, line, events };
}

describe('lockstep two-tab line over BroadcastChannel', () => {
  it('pairs, then carries every block once, in order, one block late', async () => {
    const name = `t-${Math.random()}`;
    const a = new Counter(1000, 300), b = new Counter(5000, 1000);
    const ans = tab(name, b, false, 'B');
    const call = tab(name, a, true, 'A');
    call.line.announce();
    await Promise.all([endOn(call.line, call.events), endOn(ans.line, ans.events)]);
    call.bc.close(); ans.bc.close();
    expect(call.events[0]).toEqual({ kind: 'paired', peer: 'B' });
    expect(ans.events[0]).toEqual({ kind: 'paired', peer: 'A' });
    // The caller starts on silence, then hears the answerer's block k at its step k+1.
    expect(a.heard[0]).toBe(0);
    expect(a.heard.slice(1)).toEqual(Array.from({ length: 299 }, (_, k) => 5000 + k));
    // The answerer hears the caller's blocks 0..298 (the 300th step of A ends the call), then silence.
    expect(b.heard.slice(0, 299)).toEqual(Array.from({ length: 299 }, (_, k) => 1000 + k));
    expect(b.heard.slice(299).every((x) => x === 0)).toBe(true);
    expect(call.events.at(-1)).toMatchObject({ kind: 'ended', reason: 'finished', blocks: 300 });
    expect(ans.events.at(-1)).toMatchObject({ kind: 'ended', reason: 'peer-finished', blocks: 1000 });
    expect(ans.line.blocks).toBe(1000);
  });

  it('reports two tabs with the same role and does not start', async () => {
    const name = `t-${Math.random()}`;
    const x = tab(name, new Counter(1, 10), true, 'X');
    const y = tab(name, new Counter(2, 10), true, 'Y');
    x.line.announce();
    y.line.announce();
    await new Promise((r) => setTimeout(r, 100));
    x.bc.close(); y.bc.close();
    expect(x.events.some((e) => e.kind === 'conflict') || y.events.some((e) => e.kind === 'conflict')).toBe(true);
    expect(x.line.blocks + y.line.blocks).toBe(0);
  });

  it('applies the receiver impairment to what it hears, and ignores a third tab', async () => {
    const name = `t-${Math.random()}`;
    const a = new Counter(10, 50), b = new Counter(20, 60);
    const bc = new BroadcastChannel(name);
    const line = new LockstepLine((m) => bc.postMessage(m), b, { id: 'B', calling: false, impair: (blk) => { for (let i = 0; i < blk.length; i++) blk[i]! *= 0.5; } });
    bc.onmessage = (e: MessageEvent<LockstepMessage>) => line.handle(e.data);
    const call = tab(name, a, true, 'A');
    const third = tab(name, new Counter(99, 5), true, 'C'); // a second caller: B is taken, so it never pairs
    call.line.announce();
    await endOn(call.line, call.events);
    third.line.announce();
    await new Promise((r) => setTimeout(r, 50));
    bc.close(); call.bc.close(); third.bc.close();
    expect(b.heard.slice(0, 49)).toEqual(Array.from({ length: 49 }, (_, k) => (10 + k) * 0.5));
    expect(third.line.blocks).toBe(0);
  });
});
