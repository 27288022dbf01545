/**
 * Line impairments for `webfax send/receive/call --line SPEC`, one direction at a time, built from
 * the shared blocks in core/line/impairments.ts. SPEC uses the keys of the spandsp harness's
 * linemodel.mjs: "gain=DB,offset=HZ,ppm=N,echo=DB@MS,noise=DBM0,snr=DB,loss=P,seed=N", plus
 * gate=1 (noise only in blocks that carry signal, like faxcall's --gate-noise).
 * Order (as linemodel.mjs): far signal -> gain -> offset -> clock -> + echo of own signal ->
 * + noise -> loss. The clock drift is elastic: a small FIFO (20 ms of slack) keeps the lockstep
 * 160-sample blocks exact while the resampler makes one sample more or fewer now and then.
 */
import type { LineDirection } from './call';
import { Awgn, BlockLoss, ClockDrift, FrequencyShift, Gain } from '../line/impairments';

export interface LineSpec {
  gainDb: number;
  offsetHz: number;
  ppm: number;
  echoDb: number | null;
  echoMs: number;
  noiseDbm0: number | null;
  loss: number;
  seed: number;
  /** Noise only in blocks where the far signal is present (faxcall's --gate-noise). */
  gate: boolean;
}

export function parseLineSpec(spec: string): LineSpec {
  const o: LineSpec = { gainDb: 0, offsetHz: 0, ppm: 0, echoDb: null, echoMs: 0, noiseDbm0: null, loss: 0, seed: 1, gate: false };
  let snr: number | null = null;
  const num = (part: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n)) throw new Error(`"${part}" is not key=number`);
    return n;
  };
  for (const part of spec.split(',').map((x) => x.trim()).filter(Boolean)) {
    const [k, v] = part.split('=');
    switch (k) {
      case 'gain': o.gainDb = num(part, v); break;
      case 'offset': o.offsetHz = num(part, v); break;
      case 'ppm': o.ppm = num(part, v); break;
      case 'echo': {
        const [db, msStr] = (v ?? '').split('@');
        o.echoDb = num(part, db);
        o.echoMs = msStr === undefined ? 1 : num(part, msStr);
        break;
      }
      case 'noise': o.noiseDbm0 = num(part, v); break;
      case 'snr': snr = num(part, v); break;
      case 'loss': o.loss = num(part, v); break;
      case 'seed': o.seed = num(part, v); break;
      case 'gate': o.gate = num(part, v) !== 0; break;
      default: throw new Error(`unknown key "${k}" (gain, offset, ppm, echo, noise, snr, loss, seed, gate)`);
    }
  }
  if (snr !== null) o.noiseDbm0 = -14 + o.gainDb - snr;
  if (o.loss < 0 || o.loss > 1) throw new Error('loss must be between 0 and 1');
  if (Math.abs(o.ppm) > 10_000) throw new Error('ppm out of range');
  return o;
}

const SLACK = 160;

class ImpairedLine implements LineDirection {
  private readonly gain: Gain | null;
  private readonly shift: FrequencyShift | null;
  private readonly drift: ClockDrift | null;
  private readonly awgn: Awgn | null;
  private readonly lossBlk: BlockLoss | null;
  private readonly echoBuf: Float32Array | null;
  private readonly echoGain: number;
  private echoPos = 0;
  // Elastic FIFO after the resampler.
  private readonly fifo = new Float32Array(4 * SLACK + 400);
  private fill = SLACK;
  private readonly tmp = new Float32Array(400);
  private readonly spec: LineSpec;

  constructor(spec: LineSpec, stream: number) {
    this.spec = spec;
    const seed = (spec.seed * 2 + stream) | 0;
    this.gain = spec.gainDb !== 0 ? new Gain(spec.gainDb) : null;
    this.shift = spec.offsetHz !== 0 ? new FrequencyShift(spec.offsetHz) : null;
    this.drift = spec.ppm !== 0 ? new ClockDrift(spec.ppm) : null;
    this.awgn = spec.noiseDbm0 !== null ? new Awgn(spec.noiseDbm0, seed) : null;
    this.lossBlk = spec.loss > 0 ? new BlockLoss(spec.loss, 160, seed) : null;
    this.echoBuf = spec.echoDb !== null ? new Float32Array(Math.max(1, Math.round(spec.echoMs * 8))) : null;
    this.echoGain = spec.echoDb !== null ? Math.pow(10, spec.echoDb / 20) : 0;
  }

  process(block: Float32Array, own?: Float32Array): void {
    let carries = false;
    for (let i = 0; i < block.length; i++) if (block[i] !== 0) { carries = true; break; }
    this.gain?.process(block);
    this.shift?.process(block);
    if (this.drift) this.resample(block);
    if (this.echoBuf) {
      const b = this.echoBuf;
      for (let i = 0; i < block.length; i++) {
        const v = own ? own[i]! : 0;
        block[i] = block[i]! + this.echoGain * b[this.echoPos]!;
        b[this.echoPos] = v;
        if (++this.echoPos === b.length) this.echoPos = 0;
      }
    }
    if (this.awgn && (!this.spec.gate || carries)) this.awgn.process(block);
    this.lossBlk?.process(block);
  }

  private resample(block: Float32Array): void {
    const n = this.drift!.process(block, this.tmp);
    // Append, keeping the FIFO within bounds (drop the oldest if it overflows).
    if (this.fill + n > this.fifo.length) {
      const drop = this.fill + n - this.fifo.length;
      this.fifo.copyWithin(0, drop, this.fill);
      this.fill -= drop;
    }
    this.fifo.set(this.tmp.subarray(0, n), this.fill);
    this.fill += n;
    const take = Math.min(block.length, this.fill);
    block.set(this.fifo.subarray(0, take));
    block.fill(0, take);
    this.fifo.copyWithin(0, take, this.fill);
    this.fill -= take;
  }
}

/** A line direction from a spec; `stream` makes the two directions' noise independent. */
export function createLineModel(spec: string, stream: number): LineDirection {
  return new ImpairedLine(parseLineSpec(spec), stream);
}

/**
 * Spoils the first `times` TCFs the way faxcall's --spoil-tcf does: noise at about the signal
 * level for 0.6 s inside the 1.5 s of zeros, so no run of zeros reaches 1 s and the receiver
 * answers FTT. The same with a later window spoils page bursts (copy quality / ECM tests). The caller says where in the TCF the block is (`pos`, samples since the zeros
 * began, or -1 outside a TCF); a TCF counts as spoiled once the window has passed.
 */
export class TcfSpoiler {
  private done = 0;
  private hit = false;
  private state = 0x2545f491;
  /** `from`/`to`: the noise window in samples after the burst's training. */
  constructor(private readonly times: number, private readonly from = 3200, private readonly to = 8000) {}
  get spoiled(): number {
    return this.done;
  }
  apply(block: Float32Array, pos: number): void {
    if (this.done >= this.times) return;
    const from = this.from;
    const to = this.to;
    if (pos < 0) {
      if (this.hit) { this.done++; this.hit = false; }
      return;
    }
    for (let i = 0; i < block.length; i++) {
      const p = pos + i;
      if (p < from || p >= to) continue;
      this.hit = true;
      this.state ^= this.state << 13; this.state ^= this.state >>> 17; this.state ^= this.state << 5;
      block[i] = block[i]! + ((this.state >>> 0) / 4294967296 - 0.5) * 0.6;
    }
  }
}

/** Samples of training before a TCF's zeros, per modem (from spandsp's timings, rounded up). */
export function trainingSamples(family: string, rate: number): number {
  if (family === 'v17') return 11200;
  if (family === 'v27ter') return rate === 2400 ? 7600 : 5800;
  return 2200;
}
