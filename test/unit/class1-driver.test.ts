// The Class 1 driver against a simulated T.31 modem: DLE shielding, result codes, a whole
// scripted T.30 exchange between two drivers over a simulated line (frames and page data must
// arrive byte-exact, including DLE/ETX bytes in the data), bad FCS, wrong carrier, timeouts,
// and garbage from the modem.
import { describe, it, expect } from 'vitest';
import { shieldDle, DleReader, DLE, ETX } from '../../core/class1/dle';
import { classifyLine, parseModulations } from '../../core/class1/results';
import { Class1Modem, Class1Error, type Class1Transport } from '../../core/class1/driver';
import { SimClass1Modem, simLine, simTransport, type LineMessage } from '../../core/class1/sim-modem';

const setTimer: Class1Transport['setTimer'] = (ms, fn) => { const id = setTimeout(fn, ms); return () => clearTimeout(id); };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s >>> 24; };
}

function pair(opts: { carrierWaitMs?: number } = {}) {
  const [a, b] = simLine({ setTimer });
  const simA = new SimClass1Modem(a, opts), simB = new SimClass1Modem(b, opts);
  const tA = simTransport(simA, setTimer), tB = simTransport(simB, setTimer);
  const caller = new Class1Modem(tA), answerer = new Class1Modem(tB);
  tA.attach((x) => caller.receive(x));
  tB.attach((x) => answerer.receive(x));
  return { caller, answerer, a, b, simA, simB };
}

const bytes = (...x: number[]): Uint8Array => Uint8Array.from(x);

describe('DLE shielding', () => {
  it('doubles DLE, ends with DLE ETX, and the reader undoes it across any chunking', () => {
    const r = rng(7);
    for (let trial = 0; trial < 50; trial++) {
      const data = Uint8Array.from({ length: 1 + (r() % 300) }, () => (r() % 4 === 0 ? [DLE, ETX][r() % 2]! : r()));
      const wire = shieldDle(data);
      expect(wire[wire.length - 2]).toBe(DLE);
      expect(wire[wire.length - 1]).toBe(ETX);
      const reader = new DleReader(4);
      let pos = 0;
      while (!reader.done) {
        const n = 1 + (r() % 17);
        const chunk = wire.subarray(pos, pos + n);
        const used = reader.feed(chunk);
        pos += used;
        if (used < chunk.length) break;
      }
      expect(reader.done).toBe(true);
      expect(pos).toBe(wire.length);
      expect(reader.data()).toEqual(data);
    }
  });

  it('treats DLE SUB as two DLEs and drops other DLE commands', () => {
    const reader = new DleReader();
    reader.feed(bytes(1, DLE, 0x1a, 2, DLE, 0x2e, 3, DLE, ETX, 9));
    expect(reader.data()).toEqual(bytes(1, DLE, DLE, 2, 3));
  });
});

describe('result codes', () => {
  it('classifies verbose and numeric results, RING and information text', () => {
    expect(classifyLine('OK')).toEqual({ kind: 'final', result: 'OK', text: 'OK' });
    expect(classifyLine('CONNECT 9600').kind).toBe('final');
    expect(classifyLine('+FCERROR')).toMatchObject({ result: '+FCERROR' });
    expect(classifyLine('3')).toMatchObject({ result: 'NO CARRIER' });
    expect(classifyLine('RING')).toEqual({ kind: 'ring' });
    expect(classifyLine('24,48,72,96')).toEqual({ kind: 'info', text: '24,48,72,96' });
    expect(parseModulations(['+FTM: 24,48,72,96,145'])).toEqual([24, 48, 72, 96, 145]);
  });
});

describe('Class 1 driver against the simulated modem', () => {
  it('init reads identity and modulations', async () => {
    const { caller, simA } = pair();
    const info = await caller.init();
    expect(info.transmit).toContain(145);
    expect(info.receive).toContain(96);
    expect(info.model).toBe('simulated Class 1 modem');
    expect(simA.commands).toContain('AT+FCLASS=1');
  });

  it('carries a whole scripted T.30 call byte-exact between two drivers', async () => {
    const { caller, answerer } = pair();
    await caller.init();
    await answerer.init();
    const r = rng(3);
    // Frames as T.30 puts them on the line (FCS added by the modem). DLE and ETX bytes inside
    // frames and page data exercise the shielding.
    const csi = bytes(0xff, 0x03, 0x40, ...Array.from('  1234 5678 0133+', (c) => c.charCodeAt(0)).reverse(), 0x10, 0x10, 0x03);
    const dis = bytes(0xff, 0x13, 0x80, 0x00, 0xce, 0xf4, 0x10, 0x03);
    const tsi = bytes(0xff, 0x03, 0x42, ...Array.from('XT XAF', (c) => c.charCodeAt(0)));
    const dcs = bytes(0xff, 0x13, 0x83, 0x00, 0x46, 0x10);
    const cfr = bytes(0xff, 0x13, 0x84);
    const eop = bytes(0xff, 0x13, 0x2f);
    const mcf = bytes(0xff, 0x13, 0x8c);
    const dcn = bytes(0xff, 0x13, 0xfb);
    const tcf = new Uint8Array(1800);
    const page = Uint8Array.from({ length: 20_000 }, () => (r() % 5 === 0 ? [DLE, ETX, 0x1a][r() % 3]! : r()));
    let rang = false;
    answerer.onRing = () => { rang = true; };

    const answerSide = (async () => {
      while (!rang) await new Promise((res) => setTimeout(res, 1));
      await answerer.answer();
      await answerer.sendHdlc([csi, dis], true);
      const got: Uint8Array[] = [];
      for (;;) {
        const f = await answerer.receiveHdlc();
        expect(f.kind).toBe('ok');
        if (f.kind !== 'ok') break;
        expect(f.value.fcsOk).toBe(true);
        got.push(f.value.data);
        if (f.value.final) break;
      }
      const trainingData = await answerer.receiveData(96);
      await answerer.sendHdlc([cfr]);
      const pageData = await answerer.receiveData(96);
      const post = await answerer.receiveHdlc();
      await answerer.sendHdlc([mcf]);
      const last = await answerer.receiveHdlc();
      await answerer.hangup();
      return { got, trainingData, pageData, post, last };
    })();

    const first = await caller.dial('555 0100');
    expect(first).toMatchObject({ kind: 'ok' });
    const second = await caller.receiveHdlc();
    const heard = [first, second].map((x) => (x.kind === 'ok' ? x.value : null));
    expect(heard[0]!.data).toEqual(csi);
    expect(heard[0]!.final).toBe(false);
    expect(heard[1]!.data).toEqual(dis);
    expect(heard[1]!.final).toBe(true);
    await caller.sendHdlc([tsi, dcs]);
    await caller.transmitSilence(80);
    await caller.sendData(96, tcf);
    const cfrIn = await caller.receiveHdlc();
    expect(cfrIn.kind === 'ok' && cfrIn.value.data).toEqual(cfr);
    await caller.sendData(96, page);
    await caller.transmitSilence(80);
    await caller.sendHdlc([eop]);
    const mcfIn = await caller.receiveHdlc();
    expect(mcfIn.kind === 'ok' && mcfIn.value.data).toEqual(mcf);
    await caller.sendHdlc([dcn]);
    await caller.hangup();

    const a = await answerSide;
    expect(a.got).toEqual([tsi, dcs]);
    expect(a.trainingData).toEqual({ kind: 'ok', value: tcf });
    expect(a.pageData.kind === 'ok' && a.pageData.value.length).toBe(page.length);
    expect(a.pageData).toEqual({ kind: 'ok', value: page });
    expect(a.post.kind === 'ok' && a.post.value.data).toEqual(eop);
    expect(a.last.kind === 'ok' && a.last.value.data).toEqual(dcn);
  });

  it('reports a corrupted frame as bad FCS, not as good and not dropped', async () => {
    const { caller, answerer, a } = pair();
    await caller.init();
    await answerer.init();
    a.tamper = (m: LineMessage) => (m.kind === 'hdlc' ? { ...m, frame: m.frame.map((x, i) => (i === 3 ? x ^ 0x04 : x)) } : m);
    const frame = bytes(0xff, 0x13, 0x84, 0x55);
    const rx = answerer.receiveHdlc();
    await caller.sendHdlc([frame]);
    const got = await rx;
    expect(got.kind).toBe('ok');
    if (got.kind === 'ok') {
      expect(got.value.fcsOk).toBe(false);
      expect(got.value.data).toEqual(bytes(0xff, 0x13, 0x84, 0x51));
    }
  });

  it('answers +FCERROR when the carrier is not the one asked for, and the data stays receivable', async () => {
    const { caller, answerer } = pair();
    await caller.init();
    await answerer.init();
    await caller.sendData(145, bytes(1, 2, 3));
    expect(await answerer.receiveData(96)).toEqual({ kind: 'fcerror' });
    expect(await answerer.receiveData(145)).toEqual({ kind: 'ok', value: bytes(1, 2, 3) });
  });

  it('a receive with nothing on the line ends as no-carrier or timeout, and the modem stays usable', async () => {
    const { caller } = pair({ carrierWaitMs: 30 });
    await caller.init();
    expect((await caller.receiveHdlc(2000)).kind).toBe('no-carrier');
    const slow = pair({ carrierWaitMs: 5000 });
    await slow.caller.init();
    expect((await slow.caller.receiveHdlc(30)).kind).toBe('timeout');
    expect(await slow.caller.at('AT')).toEqual([]);
  });

  it('fails cleanly when no modem answers, on ERROR, and on a closed port', async () => {
    const silent = new Class1Modem({ write: () => {}, setTimer: (ms, fn) => setTimer(Math.min(ms, 5), fn) });
    await expect(silent.init()).rejects.toThrow(/no modem answered/);
    const { caller } = pair();
    await expect(caller.at('AT+BOGUS')).rejects.toThrow(/ERROR/);
    await expect(caller.sendData(96, bytes(1))).rejects.toBeInstanceOf(Class1Error); // not in Class 1 yet: ERROR
    caller.lineClosed('unplugged');
    await expect(caller.at('AT')).rejects.toThrow(/unplugged/);
  });

  it('never throws on garbage bytes from the modem, and still works after it', async () => {
    let m: Class1Modem;
    const okReply = new TextEncoder().encode('\r\nOK\r\n');
    m = new Class1Modem({ write: () => { queueMicrotask(() => m.receive(okReply)); }, setTimer });
    const r = rng(11);
    for (let i = 0; i < 200; i++) m.receive(Uint8Array.from({ length: r() * 4 }, () => r()));
    m.receive(new TextEncoder().encode('\r\n'));
    await expect(m.at('AT')).resolves.toEqual([]);
  });
});
