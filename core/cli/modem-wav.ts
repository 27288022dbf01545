/**
 * Minimal 16-bit PCM WAV read/write for the modem CLI and its tests (8 kHz mono expected;
 * other layouts are rejected with a clear error rather than guessed at).
 */

export function encodeWav16(samples: Float32Array, sampleRate = 8000): Uint8Array {
  const n = samples.length;
  const buf = new Uint8Array(44 + 2 * n);
  const dv = new DataView(buf.buffer);
  const str = (o: number, s: string) => { for (let i = 0; i < s.length; i++) buf[o + i] = s.charCodeAt(i); };
  str(0, 'RIFF'); dv.setUint32(4, 36 + 2 * n, true); str(8, 'WAVE');
  str(12, 'fmt '); dv.setUint32(16, 16, true); dv.setUint16(20, 1, true); dv.setUint16(22, 1, true);
  dv.setUint32(24, sampleRate, true); dv.setUint32(28, sampleRate * 2, true); dv.setUint16(32, 2, true); dv.setUint16(34, 16, true);
  str(36, 'data'); dv.setUint32(40, 2 * n, true);
  for (let i = 0; i < n; i++) {
    let v = Math.round(samples[i]! * 32768);
    if (v > 32767) v = 32767; else if (v < -32768) v = -32768;
    dv.setInt16(44 + 2 * i, v, true);
  }
  return buf;
}

export function decodeWav16(bytes: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (o: number) => String.fromCharCode(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!, bytes[o + 3]!);
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file (no RIFF/WAVE header)');
  let pos = 12;
  let fmt: { ch: number; rate: number; bits: number; format: number } | undefined;
  while (pos + 8 <= bytes.length) {
    const id = tag(pos);
    const size = dv.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      fmt = { format: dv.getUint16(body, true), ch: dv.getUint16(body + 2, true), rate: dv.getUint32(body + 4, true), bits: dv.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('WAV: data chunk before fmt chunk');
      if (fmt.format !== 1 || fmt.bits !== 16) throw new Error(`WAV: only 16-bit PCM is supported (format ${fmt.format}, ${fmt.bits} bits)`);
      const len = Math.min(size, bytes.length - body);
      const frames = Math.floor(len / (2 * fmt.ch));
      const out = new Float32Array(frames);
      for (let i = 0; i < frames; i++) out[i] = dv.getInt16(body + 2 * fmt.ch * i, true) / 32768;
      return { samples: out, sampleRate: fmt.rate };
    }
    pos = body + size + (size & 1);
  }
  throw new Error('WAV: no data chunk');
}
