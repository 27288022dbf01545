import { describe, it, expect } from 'vitest';
import { Nco, cosCycles, periodicCarrier } from '../../core/dsp/nco';
import { rrcPulse, rrcTaps, rrcPolyphase } from '../../core/dsp/rrc';
import { Fir, Biquad } from '../../core/dsp/fir';
import { ComplexInterpolator } from '../../core/dsp/interpolator';
import { ComplexEqualizer } from '../../core/dsp/equalizer';
import { gardnerError, TimingLoop } from '../../core/dsp/timing';
import { CarrierDetector, PowerMeter } from '../../core/dsp/power';
import { sineAmplitudeForDbm0 } from '../../core/dsp/level';
import { Scrambler23, V27terScrambler, trainingScrambler7 } from '../../core/modems/scrambler';
import { Prng } from '../../core/line/prng';
import { prbsBits, packBitsLsbFirst, unpackBitsLsbFirst } from '../../core/modems/prbs';

describe('NCO', () => {
  it('matches Math.cos/sin to 1e-5 over many cycles', () => {
    const nco = new Nco(1700);
    let worst = 0;
    for (let n = 0; n < 8000; n++) {
      nco.step();
      const ph = (2 * Math.PI * 1700 * n) / 8000;
      worst = Math.max(worst, Math.abs(nco.cos - Math.cos(ph)), Math.abs(nco.sin - Math.sin(ph)));
    }
    expect(worst).toBeLessThan(1e-5);
    expect(Math.abs(cosCycles(0.125) - Math.SQRT1_2)).toBeLessThan(1e-5);
  });
});

describe('periodic carrier tables', () => {
  it('1800 Hz at 8000 Hz repeats every 40 samples and matches Math.cos/sin', () => {
    const c = periodicCarrier(1800);
    expect(c.period).toBe(40);
    for (let n = 0; n < 40; n++) {
      expect(Math.abs(c.cos[n]! - Math.cos((2 * Math.PI * 1800 * n) / 8000))).toBeLessThan(1e-7);
      expect(Math.abs(c.sin[n]! - Math.sin((2 * Math.PI * 1800 * n) / 8000))).toBeLessThan(1e-7);
    }
    expect(periodicCarrier(1700).period).toBe(80);
  });
  it('refuses a frequency with no short period', () => {
    expect(() => periodicCarrier(1001)).toThrow(/no short period/);
  });
});

describe('RRC', () => {
  it('two RRC pulses in cascade give (nearly) zero ISI at symbol spacing', () => {
    for (const beta of [0.25, 0.5]) {
      const sps = 10;
      const h = rrcTaps(beta, sps, 16 * sps + 1);
      const full = new Float64Array(2 * h.length - 1);
      for (let i = 0; i < h.length; i++) for (let j = 0; j < h.length; j++) full[i + j] += h[i]! * h[j]!;
      const c = h.length - 1;
      const peak = full[c]!;
      let worst = 0;
      for (let k = 1; k <= 6; k++) worst = Math.max(worst, Math.abs(full[c + k * sps]! / peak), Math.abs(full[c - k * sps]! / peak));
      expect(worst).toBeLessThan(0.01);
    }
  });
  it('is finite at its removable singularities', () => {
    expect(Number.isFinite(rrcPulse(0, 0.5))).toBe(true);
    expect(Number.isFinite(rrcPulse(0.5, 0.5))).toBe(true);
    expect(Number.isFinite(rrcPulse(1, 0.25))).toBe(true);
  });
  it('polyphase rows are fractional delays of row 0', () => {
    const bank = rrcPolyphase(0.5, 4, 33, 8);
    // row 8 (one full sample of delay) equals row 0 shifted by one tap
    for (let j = 1; j < 33; j++) expect(bank[8 * 33 + j]).toBeCloseTo(bank[j - 1]!, 9);
  });
  it('options: no options is the plain bank; a moved centre and a window give a tapered, centred filter', () => {
    expect(rrcPolyphase(0.25, 10 / 3, 26, 32, {})).toEqual(rrcPolyphase(0.25, 10 / 3, 26, 32));
    const plain = rrcPolyphase(0.25, 10 / 3, 26, 32, { centre: 12 });
    const bank = rrcPolyphase(0.25, 10 / 3, 26, 32, { centre: 12, windowHalf: 13.5 });
    // row 0: unit DC gain, symmetric about tap 12, the window shrinks the end taps
    let sum = 0;
    for (let j = 0; j < 26; j++) sum += bank[j]!;
    expect(sum).toBeCloseTo(1, 12);
    for (let k = 1; k <= 12; k++) expect(bank[12 + k]).toBeCloseTo(bank[12 - k]!, 12);
    expect(Math.abs(bank[25]! / bank[12]!)).toBeLessThan(0.2 * Math.abs(plain[25]! / plain[12]!));
    // the window travels with the pulse: row 32 (one sample of delay) is row 0 one tap later
    for (let j = 1; j < 26; j++) expect(bank[32 * 26 + j]).toBeCloseTo(bank[j - 1]!, 12);
  });
});

describe('FIR and biquad', () => {
  it('FIR impulse response is its taps', () => {
    const f = new Fir([1, 2, 3]);
    expect([f.step(1), f.step(0), f.step(0), f.step(0)]).toEqual([1, 2, 3, 0]);
  });
  it('band-pass passes its centre and rejects far tones', () => {
    const gainAt = (hz: number) => {
      const b = Biquad.bandpass(1000, 5);
      let p = 0;
      for (let n = 0; n < 4000; n++) {
        const y = b.step(Math.sin((2 * Math.PI * hz * n) / 8000));
        if (n > 2000) p = Math.max(p, Math.abs(y));
      }
      return p;
    };
    expect(gainAt(1000)).toBeGreaterThan(0.95);
    expect(gainAt(3000)).toBeLessThan(0.1);
  });
});

describe('interpolating matched filter', () => {
  it('reads a band-limited signal between samples', () => {
    const bank = rrcPolyphase(0.5, 4, 41, 64);
    const ip = new ComplexInterpolator(bank, 41, 64);
    const f = 300 / 8000; // well inside the pass band (sps 4 -> 2 kHz symbol rate)
    const outs: number[] = [];
    for (let n = 0; n < 200; n++) {
      ip.push(Math.cos(2 * Math.PI * f * n), 0);
      if (n > 100) { ip.read(0.5); outs.push(ip.outRe); }
    }
    // the output at frac 0.5 is the input half a sample earlier, delayed by the centre (20)
    const n0 = 101;
    for (let i = 0; i < outs.length; i++) {
      const t = n0 + i - 0.5 - 20;
      expect(Math.abs(outs[i]! / 1 - Math.cos(2 * Math.PI * f * t))).toBeLessThan(0.02);
    }
  });
});

describe('complex LMS equalizer', () => {
  it('learns the inverse of a two-path channel with a phase rotation', () => {
    const eq = new ComplexEqualizer(15);
    eq.restart(7, 1, 0);
    const rng = new Prng(3);
    const rot = { c: Math.cos(0.7), s: Math.sin(0.7) };
    let prevR = 0, prevI = 0;
    const sym: Array<[number, number]> = [];
    let mse = 1;
    for (let n = 0; n < 6000; n++) {
      const ar = rng.uniform() < 0.5 ? -1 : 1;
      const ai = rng.uniform() < 0.5 ? -1 : 1;
      sym.push([ar, ai]);
      // channel: rotate, plus 0.3 echo of the previous symbol (symbol spaced, fed as T/2 with a zero between)
      const xr = (ar + 0.3 * prevR) * rot.c - (ai + 0.3 * prevI) * rot.s;
      const xi = (ar + 0.3 * prevR) * rot.s + (ai + 0.3 * prevI) * rot.c;
      prevR = ar; prevI = ai;
      eq.push(xr, xi);
      eq.push(0, 0);
      eq.output();
      if (n >= 4) {
        const [wr, wi] = sym[n - 3]!; // centre tap 7 -> latency 3.5 symbols; the zero sits between
        const er = wr - eq.outRe, ei = wi - eq.outIm;
        eq.update(er, ei, 0.05);
        if (n > 5000) mse += ((er * er + ei * ei) - mse) * 0.01;
      }
    }
    expect(mse).toBeLessThan(0.01);
  });
});

describe('complex LMS equalizer, smoothed-power step', () => {
  it('steps by mu e conj(x) / (len * averaged power), the average floored', () => {
    const eq = new ComplexEqualizer(5, { powerAverage: 0.5, powerFloor: 1 });
    eq.restart(2, 1, 0);
    eq.power = 40;
    eq.inRe = 2;
    eq.inIm = 0;
    eq.pushInput(); // power: 40 + (4 - 40) * 0.5 = 22
    expect(eq.power).toBe(22);
    expect(eq.lineRe(0)).toBe(2);
    eq.update(1, 0, 0.11);
    // tap 0 multiplies the newest sample (2): += 0.11 * 1 * 2 / (5 * 22)
    expect(eq.tapRe(0)).toBeCloseTo(0.002, 15);
    expect(eq.tapRe(2)).toBe(1);
    eq.push(0, 0.5);
    eq.push(0, 0);
    expect(eq.power).toBe(22); // push() leaves the average alone
    expect(eq.lineIm(1)).toBe(0.5);
    expect(eq.lineRe(2)).toBe(2);
    // restart zeroes the average; a quiet sample leaves it under the floor: the step divides by 5 * 1
    eq.restart(2, 1, 0);
    eq.inRe = 0.1;
    eq.pushInput();
    expect(eq.power).toBeCloseTo(0.005, 15);
    eq.update(1, 0, 0.1);
    expect(eq.tapRe(0)).toBeCloseTo((0.1 * 0.1) / 5, 15);
  });
  it('without the option the step still follows the exact line energy', () => {
    const eq = new ComplexEqualizer(5);
    eq.restart(2, 1, 0);
    eq.push(2, 0);
    eq.push(0, 1);
    eq.update(1, 0, 0.5);
    // energy 4 + 1 = 5: tap 1 (sample 2) += 0.5 * 2 / 5
    expect(eq.tapRe(1)).toBeCloseTo(0.2, 9);
    expect(eq.power).toBe(0);
  });
});

describe('timing loop', () => {
  it('integrates the error into a rate, clamped to maxRate, and adds the proportional part', () => {
    const free = new TimingLoop(0.01, 0.0001, Infinity);
    for (let i = 0; i < 100; i++) free.update(2);
    expect(free.rate).toBeCloseTo(-0.02, 12);
    expect(free.update(0)).toBeCloseTo(-0.02, 12);
    const held = new TimingLoop(0.01, 0.0001);
    for (let i = 0; i < 100; i++) held.update(2);
    expect(held.rate).toBe(-0.002);
  });
});

describe('Gardner timing error', () => {
  it('is positive when sampling late and negative when early on a -1 -> +1 transition', () => {
    expect(gardnerError(-1, 0, 0.3, 0, 1, 0)).toBeGreaterThan(0);
    expect(gardnerError(-1, 0, -0.3, 0, 1, 0)).toBeLessThan(0);
    expect(gardnerError(-1, 0, 0, 0, 1, 0)).toBe(0);
  });
});

describe('power meter and carrier detector', () => {
  it('reads a sine level in dBm0', () => {
    const pm = new PowerMeter(100);
    const a = sineAmplitudeForDbm0(-20);
    for (let n = 0; n < 4000; n++) pm.step(a * Math.sin((2 * Math.PI * 1000 * n) / 8000));
    expect(Math.abs(pm.dbm0() - -20)).toBeLessThan(0.2);
  });
  it('switches on above -45.5, off below -48.5, and not in between', () => {
    const cd = new CarrierDetector(-45.5, -48.5);
    const feed = (dbm0: number, n: number) => {
      const a = sineAmplitudeForDbm0(dbm0);
      let ev = 0;
      for (let i = 0; i < n; i++) ev += cd.step(a * Math.sin((2 * Math.PI * 1800 * i) / 8000));
      return ev;
    };
    expect(feed(-50, 800)).toBe(0);
    expect(feed(-40, 800)).toBe(1);
    expect(cd.on).toBe(true);
    expect(feed(-47, 800)).toBe(0); // hysteresis: still on
    expect(cd.on).toBe(true);
    expect(feed(-55, 800)).toBe(-1);
    expect(cd.on).toBe(false);
  });
});

describe('scramblers and PRBS', () => {
  it('1 + x^-18 + x^-23 descrambles its own output and resynchronises from any state', () => {
    const bits = prbsBits(9, 2000);
    const s = new Scrambler23();
    const d = new Scrambler23();
    d.restart(0x12345);
    const out = Array.from(bits, (b) => d.descramble(s.scramble(b)));
    expect(out.slice(23)).toEqual(Array.from(bits.slice(23)));
  });
  it('scrambles all ones into a balanced stream', () => {
    const s = new Scrambler23();
    let ones = 0;
    for (let i = 0; i < 10000; i++) ones += s.scramble(1);
    expect(Math.abs(ones - 5000)).toBeLessThan(300);
  });
  it('V.27ter scrambler (with its guard) round-trips once both sides share a state', () => {
    const bits = prbsBits(4, 5000);
    const s = new V27terScrambler();
    const d = new V27terScrambler();
    s.restart(0x3c);
    d.restart(0x3c);
    const line = Array.from(bits, (b) => s.scramble(b));
    const back = line.map((b) => d.descramble(b));
    expect(back).toEqual(Array.from(bits));
  });
  it('the V.27ter guard breaks up a long repeating pattern', () => {
    // all zeros in with register 0 would send all zeros; the guard must insert ones
    const s = new V27terScrambler();
    s.restart(0);
    let ones = 0;
    for (let i = 0; i < 200; i++) ones += s.scramble(0);
    expect(ones).toBeGreaterThan(0);
  });
  it('V.29 training generator from 0x2A gives 0,1,0,1,0,1 (worked by hand from the recurrence)', () => {
    let reg = 0x2a;
    const out: number[] = [];
    for (let i = 0; i < 6; i++) { const r = trainingScrambler7(reg); out.push(r & 1); reg = r >>> 1; }
    expect(out).toEqual([0, 1, 0, 1, 0, 1]);
  });
  it('PRBS bytes pack LSB first and unpack back', () => {
    const bits = prbsBits(1, 64);
    const bytes = packBitsLsbFirst(bits);
    expect(bytes[0]! & 1).toBe(bits[0]);
    expect(Array.from(unpackBitsLsbFirst(bytes, 64))).toEqual(Array.from(bits));
  });
});
