// The line worklet in Chromium's real AudioWorklet (an OfflineAudioContext at 48 kHz): a 1000 Hz
// tone going in must come out on the port as 160-sample blocks of 8 kHz audio holding that tone
// at its level, and 8 kHz blocks of a 1500 Hz tone posted to the port must be played at 48 kHz,
// pure and at their level. This is the resampling both ways (core/dsp/resample.ts) in place.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSite, openPage, type Site } from './harness';

let site: Site;
beforeAll(async () => { site = await startSite(); });
afterAll(async () => { await site?.close(); });

/** Amplitude of the `hz` component of x (rate `fs`) by correlation, and the share of power it holds. */
function tone(x: ArrayLike<number>, fs: number, hz: number): { amp: number; purity: number } {
  let re = 0, im = 0, p = 0;
  for (let i = 0; i < x.length; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * hz * i) / fs);
    im -= x[i]! * Math.sin((2 * Math.PI * hz * i) / fs);
    p += x[i]! * x[i]!;
  }
  const amp = (2 * Math.hypot(re, im)) / x.length;
  return { amp, purity: (amp * amp) / 2 / (p / x.length) };
}

describe('line worklet', () => {
  it('resamples 48 kHz -> 8 kHz blocks and 8 kHz blocks -> 48 kHz', async () => {
    const asset = readdirSync(join(site.outDir, 'assets')).find((f) => /^line-io\.worklet-.*\.js$/.test(f));
    expect(asset).toBeDefined();
    const context = await site.browser.newContext();
    const w = await openPage(site, context);
    const r = await w.page.evaluate(async (url) => {
      const fs = 48000;
      const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: fs, sampleRate: fs });
      await ctx.audioWorklet.addModule(url);
      const node = new AudioWorkletNode(ctx, 'webfax-line-io', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
      const osc = new OscillatorNode(ctx, { frequency: 1000 });
      const gain = new GainNode(ctx, { gain: 0.5 });
      osc.connect(gain).connect(node).connect(ctx.destination);
      const ch = new MessageChannel();
      node.port.postMessage({ type: 'port', port: ch.port1 }, [ch.port1]);
      const got: number[][] = [];
      ch.port2.onmessage = (e: MessageEvent<Float32Array>) => got.push(Array.from(e.data));
      // 20 blocks (0.4 s) of a 1500 Hz tone at 8 kHz, amplitude 0.25, to be played.
      for (let k = 0; k < 20; k++) {
        const b = new Float32Array(160);
        for (let i = 0; i < 160; i++) b[i] = 0.25 * Math.sin((2 * Math.PI * 1500 * (k * 160 + i)) / 8000);
        ch.port2.postMessage(b, [b.buffer]);
      }
      // Pause the offline render now and then so messages between the threads can flow (an offline
      // render otherwise runs ahead of them). The first pause, after one render quantum, lets the
      // port and all 20 blocks reach the worklet before it starts playing.
      void ctx.suspend(128 / fs).then(() => setTimeout(() => void ctx.resume(), 150));
      for (let k = 1; k < 10; k++) void ctx.suspend(k / 10).then(() => setTimeout(() => void ctx.resume(), 20));
      osc.start();
      const out = await ctx.startRendering();
      await new Promise((res) => setTimeout(res, 200));
      return { blocks: got, out: Array.from(out.getChannelData(0)) };
    }, `${site.url}assets/${asset}`);

    // Down: whole 160-sample blocks; after the filter's start-up, a clean 1000 Hz at amplitude 0.5.
    expect(r.blocks.length).toBeGreaterThanOrEqual(40);
    expect(r.blocks.every((b) => b.length === 160)).toBe(true);
    const down = r.blocks.slice(5, 45).flat();
    const d = tone(down, 8000, 1000);
    expect(d.amp).toBeGreaterThan(0.49);
    expect(d.amp).toBeLessThan(0.51);
    expect(d.purity).toBeGreaterThan(0.999);

    // Up: the played segment, found by its level, holds a clean 1500 Hz at amplitude 0.25.
    const start = r.out.findIndex((v) => Math.abs(v) > 0.1);
    expect(start).toBeGreaterThanOrEqual(0);
    // All 20 blocks (0.4 s = 400 ms) played, with no gap: count 1 ms windows that hold signal
    // (the last 4 ms wait inside the resampler for audio that would follow on a live line).
    let loud = 0;
    for (let i = 0; i + 48 <= r.out.length; i += 48) { let m = 0; for (let j = i; j < i + 48; j++) m = Math.max(m, Math.abs(r.out[j]!)); if (m > 0.1) loud++; }
    expect(loud).toBeGreaterThanOrEqual(395);
    expect(loud).toBeLessThanOrEqual(402);
    const seg = r.out.slice(start + 2400, start + 2400 + 9600); // 0.2 s, past the start-up
    const u = tone(seg, 48000, 1500);
    if (u.amp < 0.245) {
      const wins: string[] = [];
      for (let i = start; i + 2400 <= r.out.length && i < start + 24000; i += 2400) wins.push(tone(r.out.slice(i, i + 2400), 48000, 1500).amp.toFixed(3));
      console.log('DEBUG start', start, 'wins', wins.join(' '));
    }
    expect(u.amp).toBeGreaterThan(0.245);
    expect(u.amp).toBeLessThan(0.255);
    expect(u.purity).toBeGreaterThan(0.999);

    expect(w.consoleErrors).toEqual([]);
    await context.close();
  });
});
