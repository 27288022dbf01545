/**
 * WAV (RIFF WAVE) reading and writing.
 *
 * Reads PCM 8 (unsigned) / 16 / 24 / 32-bit, IEEE float 32 / 64, G.711 A-law and µ-law
 * (tables from ./g711), WAVE_FORMAT_EXTENSIBLE wrapping any of those, any rate, any channel
 * count. Samples come out as one Float32Array per channel, 1.0 = s16 full scale (the core
 * convention, core/dsp/level.ts). It walks the chunk list (odd sizes padded), so LIST/fact/etc.
 * chunks anywhere are skipped. Problems are `WavError`s with a one-line message naming the
 * problem (not a WAV, truncated, empty, unsupported format). A data chunk whose size runs past
 * the end of the file is an error unless `lenient` (then what is there is decoded, with a
 * warning) — a size of 0 or 0xFFFFFFFF left by a streaming writer counts as "to the end".
 */
import { ALAW_TO_FLOAT, ULAW_TO_FLOAT } from './g711';

export class WavError extends Error {}

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64' | 'alaw' | 'ulaw';

export interface WavAudio {
  sampleRate: number;
  /** One array per channel. */
  channels: Float32Array[];
  format: WavSampleFormat;
  /** Non-fatal oddities (lenient truncation, padding, ...). */
  warnings: string[];
}

export interface WavReadOptions {
  /** Decode a data chunk cut short by the end of the file instead of failing. */
  lenient?: boolean;
}

const TAG_PCM = 1, TAG_FLOAT = 3, TAG_ALAW = 6, TAG_ULAW = 7, TAG_EXTENSIBLE = 0xfffe;

function fourcc(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o]!, b[o + 1]!, b[o + 2]!, b[o + 3]!);
}

/** True when the bytes start like a RIFF WAVE file. */
export function looksLikeWav(bytes: Uint8Array): boolean {
  return bytes.length >= 12 && fourcc(bytes, 0) === 'RIFF' && fourcc(bytes, 8) === 'WAVE';
}

export function parseWav(bytes: Uint8Array, opts: WavReadOptions = {}): WavAudio {
  if (bytes.length === 0) throw new WavError('empty file');
  if (bytes.length < 12 || fourcc(bytes, 0) !== 'RIFF' || fourcc(bytes, 8) !== 'WAVE') {
    if (bytes.length >= 4 && (fourcc(bytes, 0) === 'RIFX' || fourcc(bytes, 0) === 'RF64')) {
      throw new WavError(`unsupported WAV variant ${fourcc(bytes, 0)}`);
    }
    throw new WavError(bytes.length < 12 && bytes.length >= 4 && fourcc(bytes, 0) === 'RIFF' ? 'truncated WAV header' : 'not a WAV file (no RIFF/WAVE header)');
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const warnings: string[] = [];
  let fmt: { tag: number; channels: number; rate: number; blockAlign: number; bits: number } | null = null;
  let dataStart = -1;
  let dataLen = 0;
  let o = 12;
  while (o + 8 <= bytes.length) {
    const id = fourcc(bytes, o);
    const size = dv.getUint32(o + 4, true);
    const body = o + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new WavError('truncated WAV fmt chunk');
      let tag = dv.getUint16(body, true);
      const channels = dv.getUint16(body + 2, true);
      const rate = dv.getUint32(body + 4, true);
      const blockAlign = dv.getUint16(body + 12, true);
      const bits = dv.getUint16(body + 14, true);
      if (tag === TAG_EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.length) throw new WavError('truncated WAVE_FORMAT_EXTENSIBLE fmt chunk');
        tag = dv.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = { tag, channels, rate, blockAlign, bits };
    } else if (id === 'data') {
      dataStart = body;
      const avail = bytes.length - body;
      if (size === 0 || size === 0xffffffff) {
        dataLen = avail;
        if (size === 0 && avail > 0) warnings.push('data chunk size 0: reading to the end of the file');
      } else if (size > avail) {
        if (!opts.lenient) throw new WavError(`truncated WAV: data chunk declares ${size} bytes but only ${avail} are present`);
        warnings.push(`truncated: data chunk declares ${size} bytes, ${avail} present`);
        dataLen = avail;
      } else dataLen = size;
      if (fmt) break;
    }
    if (size > bytes.length) break;
    o = body + size + (size & 1);
  }
  if (!fmt) throw new WavError(dataStart >= 0 ? 'WAV has no fmt chunk before its data' : 'truncated WAV: no fmt chunk');
  if (dataStart < 0) throw new WavError('truncated WAV: no data chunk');
  const { tag, channels, rate, bits } = fmt;
  if (channels < 1) throw new WavError('WAV declares 0 channels');
  if (rate < 1000 || rate > 768000) throw new WavError(`unsupported sample rate ${rate} Hz`);
  let format: WavSampleFormat;
  if (tag === TAG_PCM && bits === 8) format = 'pcm8';
  else if (tag === TAG_PCM && bits === 16) format = 'pcm16';
  else if (tag === TAG_PCM && bits === 24) format = 'pcm24';
  else if (tag === TAG_PCM && bits === 32) format = 'pcm32';
  else if (tag === TAG_FLOAT && bits === 32) format = 'float32';
  else if (tag === TAG_FLOAT && bits === 64) format = 'float64';
  else if (tag === TAG_ALAW && bits === 8) format = 'alaw';
  else if (tag === TAG_ULAW && bits === 8) format = 'ulaw';
  else throw new WavError(`unsupported WAV sample format (format tag ${tag}, ${bits} bits)`);
  const bytesPer = bits >> 3;
  const frame = bytesPer * channels;
  const frames = Math.floor(dataLen / frame);
  if (frames === 0) throw new WavError('WAV has no audio samples');
  if (dataLen % frame) warnings.push(`data chunk ends with ${dataLen % frame} stray bytes`);
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) out.push(new Float32Array(frames));
  for (let c = 0; c < channels; c++) decodeChannel(dv, dataStart + c * bytesPer, frame, frames, format, out[c]!);
  return { sampleRate: rate, channels: out, format, warnings };
}

function decodeChannel(dv: DataView, start: number, stride: number, n: number, f: WavSampleFormat, out: Float32Array): void {
  let p = start;
  switch (f) {
    case 'pcm8':
      for (let i = 0; i < n; i++, p += stride) out[i] = (dv.getUint8(p) - 128) / 128;
      break;
    case 'pcm16':
      for (let i = 0; i < n; i++, p += stride) out[i] = dv.getInt16(p, true) / 32768;
      break;
    case 'pcm24':
      for (let i = 0; i < n; i++, p += stride) {
        const v = dv.getUint8(p) | (dv.getUint8(p + 1) << 8) | (dv.getInt8(p + 2) << 16);
        out[i] = v / 8388608;
      }
      break;
    case 'pcm32':
      for (let i = 0; i < n; i++, p += stride) out[i] = dv.getInt32(p, true) / 2147483648;
      break;
    case 'float32':
      for (let i = 0; i < n; i++, p += stride) out[i] = dv.getFloat32(p, true);
      break;
    case 'float64':
      for (let i = 0; i < n; i++, p += stride) out[i] = dv.getFloat64(p, true);
      break;
    case 'alaw':
      for (let i = 0; i < n; i++, p += stride) out[i] = ALAW_TO_FLOAT[dv.getUint8(p)]!;
      break;
    case 'ulaw':
      for (let i = 0; i < n; i++, p += stride) out[i] = ULAW_TO_FLOAT[dv.getUint8(p)]!;
      break;
  }
}

/** Write a WAV: 16-bit PCM (default, clipped and rounded) or 32-bit float, channels interleaved. */
export function encodeWav(channels: Float32Array[], sampleRate: number, format: 'pcm16' | 'float32' = 'pcm16'): Uint8Array {
  const nch = channels.length;
  if (nch < 1) throw new WavError('no channels to write');
  const frames = channels[0]!.length;
  const bps = format === 'pcm16' ? 2 : 4;
  const dataLen = frames * nch * bps;
  const out = new Uint8Array(44 + dataLen);
  const dv = new DataView(out.buffer);
  const put4 = (o: number, s: string) => { for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i); };
  put4(0, 'RIFF');
  dv.setUint32(4, 36 + dataLen, true);
  put4(8, 'WAVE');
  put4(12, 'fmt ');
  dv.setUint32(16, 16, true);
  dv.setUint16(20, format === 'pcm16' ? TAG_PCM : TAG_FLOAT, true);
  dv.setUint16(22, nch, true);
  dv.setUint32(24, sampleRate, true);
  dv.setUint32(28, sampleRate * nch * bps, true);
  dv.setUint16(32, nch * bps, true);
  dv.setUint16(34, bps * 8, true);
  put4(36, 'data');
  dv.setUint32(40, dataLen, true);
  let p = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < nch; c++, p += bps) {
      const x = channels[c]![i] ?? 0;
      if (format === 'pcm16') dv.setInt16(p, Math.max(-32768, Math.min(32767, Math.round(x * 32768))), true);
      else dv.setFloat32(p, x, true);
    }
  }
  return out;
}
