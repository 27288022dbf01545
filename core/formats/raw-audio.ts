/**
 * Headerless audio: raw s16le, µ-law or A-law octets, at a given rate (8000 Hz assumed).
 *
 * How: the bytes are converted to float samples (1.0 = s16 full scale, core/dsp/level.ts).
 * Nothing here resamples: the caller gets `sampleRate` back and resamples when it is not
 * 8000. The encoding can be given, or guessed from the file name's extension
 * (.raw/.s16/.sln/.pcm → s16le, .ul/.ulaw/.mu/.pcmu → µ-law, .al/.alaw/.pcma → A-law).
 */
import { decodeG711 } from './g711';

export type RawEncoding = 's16le' | 'ulaw' | 'alaw';

export interface RawAudio {
  samples: Float32Array;
  sampleRate: number;
  encoding: RawEncoding;
  /** Present when something about the input was odd (odd byte count, …). */
  warnings: string[];
}

export interface RawAudioOptions {
  encoding?: RawEncoding;
  /** Samples per second of the data; 8000 when not given. */
  sampleRate?: number;
  /** File name, used only to guess the encoding when none is given. */
  name?: string;
}

const EXTENSIONS: Record<string, RawEncoding> = {
  raw: 's16le', s16: 's16le', sln: 's16le', sw: 's16le', pcm: 's16le', slin: 's16le',
  ul: 'ulaw', ulaw: 'ulaw', mu: 'ulaw', mulaw: 'ulaw', pcmu: 'ulaw',
  al: 'alaw', alaw: 'alaw', pcma: 'alaw',
};

/** The raw encoding a file name implies, or undefined when the extension says nothing. */
export function rawEncodingFromName(name: string): RawEncoding | undefined {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return undefined;
  return EXTENSIONS[name.slice(dot + 1).toLowerCase()];
}

/** Decode little-endian s16 PCM to floats; an odd trailing byte is ignored. */
export function decodeS16le(bytes: Uint8Array): Float32Array {
  const n = bytes.length >> 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    out[i] = (v >= 0x8000 ? v - 0x10000 : v) / 32768;
  }
  return out;
}

/** Encode floats (1.0 = full scale) as little-endian s16 PCM, clipping. */
export function encodeS16le(samples: Float32Array): Uint8Array {
  const out = new Uint8Array(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    let v = Math.round(samples[i]! * 32768);
    if (v > 32767) v = 32767; else if (v < -32768) v = -32768;
    out[2 * i] = v & 0xff;
    out[2 * i + 1] = (v >> 8) & 0xff;
  }
  return out;
}

/** Decode headerless audio. Throws an Error with a one-line message on unusable options. */
export function decodeRawAudio(bytes: Uint8Array, opts: RawAudioOptions = {}): RawAudio {
  const encoding = opts.encoding ?? (opts.name ? rawEncodingFromName(opts.name) : undefined) ?? 's16le';
  const sampleRate = opts.sampleRate ?? 8000;
  if (!Number.isFinite(sampleRate) || sampleRate < 1000 || sampleRate > 384000) {
    throw new Error(`raw audio: unusable sample rate ${sampleRate}`);
  }
  const warnings: string[] = [];
  let samples: Float32Array;
  switch (encoding) {
    case 's16le':
      if (bytes.length & 1) warnings.push('raw s16le audio has an odd number of bytes; the last byte was ignored');
      samples = decodeS16le(bytes);
      break;
    case 'ulaw':
    case 'alaw':
      samples = decodeG711(encoding, bytes);
      break;
    default:
      throw new Error(`raw audio: unknown encoding "${String(encoding)}"`);
  }
  if (samples.length === 0) warnings.push('raw audio is empty');
  return { samples, sampleRate, encoding, warnings };
}
