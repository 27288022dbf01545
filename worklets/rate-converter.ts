/**
 * Streaming sample-rate conversion for the line worklet. Until core/dsp/resample.ts (the exact
 * streaming resampler) lands this is a stand-in: a 2-pole low-pass ahead of linear
 * interpolation, good enough to move audio, not to measure with.
 * `convert(in, start, end, out)` writes the output samples that input makes and returns how many.
 */
export class RateConverter {
  private readonly step: number;
  private pos = 0;
  private prev = 0;
  private z1 = 0;
  private z2 = 0;
  private readonly a: number;

  constructor(readonly inRate: number, readonly outRate: number) {
    this.step = inRate / outRate;
    // One-pole pair at ~0.45 of the lower Nyquist rate: keeps most aliasing out when decimating.
    const fc = (0.45 * Math.min(inRate, outRate)) / 2;
    this.a = Math.exp((-2 * Math.PI * fc) / inRate);
  }

  convert(input: Float32Array, start: number, end: number, out: Float32Array): number {
    let n = 0;
    const a = this.a, b = 1 - a;
    for (let i = start; i < end; i++) {
      this.z1 = b * input[i]! + a * this.z1;
      this.z2 = b * this.z1 + a * this.z2;
      const x = this.inRate > this.outRate ? this.z2 : input[i]!;
      // Emit every output instant that falls between the previous input sample and this one.
      while (this.pos <= 1 && n < out.length) {
        out[n++] = this.prev + (x - this.prev) * this.pos;
        this.pos += this.step;
      }
      this.pos -= 1;
      this.prev = x;
    }
    return n;
  }
}
