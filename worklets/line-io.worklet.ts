/**
 * The audio line's worklet ('webfax-line-io'): the thin shell between the sound card and the
 * engine worker. Microphone input (the context's rate, e.g. 48 kHz) is resampled to 8 kHz and
 * posted in 160-sample blocks on the MessagePort the page handed over; 8 kHz blocks coming back
 * on that port are queued, resampled up and played. No fax logic here. `process()` returns false
 * once disposed, so the node can be collected.
 */
import { Resampler } from '../core/dsp/resample';

const BLOCK = 160;
/** Blocks of transmit audio we hold before dropping the oldest (about 0.5 s). */
const MAX_QUEUED = 25;

class LineIoProcessor extends AudioWorkletProcessor {
  private engine: MessagePort | null = null;
  private disposed = false;
  // core's windowed-sinc polyphase resampler: no allocation in process(), > 70 dB alias rejection.
  private readonly down = new Resampler(Math.round(sampleRate), 8000);
  private readonly up = new Resampler(8000, Math.round(sampleRate));
  private block = new Float32Array(BLOCK);
  private fill = 0;
  // Render quanta are 128 frames today; room for 1024 should the context ever use bigger ones.
  private readonly down8k = new Float32Array(this.down.maxOutput(1024));
  private readonly queue: Float32Array[] = [];
  /** Up-sampled transmit audio waiting to be played. */
  private readonly out = new Float32Array(this.up.maxOutput(BLOCK));
  private outStart = 0;
  private outEnd = 0;

  constructor() {
    super();
    this.port.onmessage = (e: MessageEvent<{ type: string; port?: MessagePort }>) => {
      if (e.data.type === 'port' && e.data.port) {
        this.engine = e.data.port;
        this.engine.onmessage = (m: MessageEvent<Float32Array>) => {
          if (this.queue.length >= MAX_QUEUED) this.queue.shift();
          this.queue.push(m.data);
        };
      } else if (e.data.type === 'dispose') {
        this.disposed = true;
        this.engine?.close();
      }
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.disposed) return false;
    const input = inputs[0]?.[0];
    if (input && this.engine) {
      const n = this.down.process(input, this.down8k, 0, input.length);
      for (let i = 0; i < n; i++) {
        this.block[this.fill++] = this.down8k[i]!;
        if (this.fill === BLOCK) {
          this.engine.postMessage(this.block, [this.block.buffer]);
          this.block = new Float32Array(BLOCK);
          this.fill = 0;
        }
      }
    }
    const output = outputs[0]?.[0];
    if (output) {
      for (let i = 0; i < output.length; i++) {
        if (this.outStart === this.outEnd) this.refill();
        output[i] = this.outStart < this.outEnd ? this.out[this.outStart++]! : 0;
      }
    }
    return true;
  }

  /** Move one queued 8 kHz block through the up-converter into the play buffer. */
  private refill(): void {
    const next = this.queue.shift();
    this.outStart = 0;
    this.outEnd = next ? this.up.process(next, this.out, 0, next.length) : 0;
  }
}

registerProcessor('webfax-line-io', LineIoProcessor);
