/**
 * FLAC and Ogg recordings, decoded by the browser (decodeAudioData). The decoding context runs at
 * the file's own sample rate, read from its header, so the browser does not resample; the engine
 * then resamples exactly to 8 kHz like any other input.
 */
const ascii = (b: Uint8Array, at: number, s: string): boolean => [...s].every((c, i) => b[at + i] === c.charCodeAt(0));

/** true for FLAC ("fLaC") and Ogg ("OggS") files. */
export function sniffCompressed(buf: ArrayBuffer): boolean {
  const b = new Uint8Array(buf, 0, Math.min(4, buf.byteLength));
  return ascii(b, 0, 'fLaC') || ascii(b, 0, 'OggS');
}

/** The sample rate written in a FLAC STREAMINFO or an Ogg Vorbis/Opus header; 48000 if unknown. */
export function headerRate(buf: ArrayBuffer): number {
  const b = new Uint8Array(buf, 0, Math.min(512, buf.byteLength));
  if (ascii(b, 0, 'fLaC') && b.length >= 21) {
    // STREAMINFO starts at 8; the rate is the 20 bits at byte 18.
    return (b[18]! << 12) | (b[19]! << 4) | (b[20]! >> 4);
  }
  for (let i = 0; i + 16 < b.length; i++) {
    if (b[i] === 1 && ascii(b, i + 1, 'vorbis')) return new DataView(b.buffer, b.byteOffset + i + 12, 4).getUint32(0, true);
    if (ascii(b, i, 'OpusHead')) return 48000;
  }
  return 48000;
}

export async function decodeCompressedAudio(buf: ArrayBuffer): Promise<{ rate: number; channels: Float32Array[] }> {
  let rate = headerRate(buf);
  if (!(rate >= 3000 && rate <= 768000)) rate = 48000;
  const ctx = new OfflineAudioContext(1, 1, rate);
  let audio: AudioBuffer;
  try {
    audio = await ctx.decodeAudioData(buf.slice(0));
  } catch {
    throw new Error('the browser could not decode this FLAC/Ogg file');
  }
  const channels: Float32Array[] = [];
  for (let c = 0; c < Math.min(2, audio.numberOfChannels); c++) channels.push(audio.getChannelData(c).slice());
  return { rate: audio.sampleRate, channels };
}
