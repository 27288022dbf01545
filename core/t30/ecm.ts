/**
 * ECM (T.30 Annex A / T.4 Annex A) block and bitmap logic, pure and I/O-free.
 *
 * Sending: a page's coded data is cut into frames of 64 or 256 octets (the last one zero-padded,
 * as spandsp does and most receivers expect); up to 256 frames make a block ("partial page").
 * Each frame travels as an FCD frame [ff 03 06 n data...]; after the block come three RCP frames.
 * The receiver answers the PPS with MCF (all frames good) or PPR carrying a 256-bit map in which a
 * set bit (LSB first within each octet) marks a frame it still needs; the sender resends only those.
 */

export const ECM_MAX_FRAMES = 256;
export const PPR_MAP_BYTES = 32;
/** After this many PPRs for one block the sender sends CTC (speed fall-back) or EOR (T.30 A.4). */
export const PPR_LIMIT = 4;
export const FCD = 0x06;
export const RCP = 0x86;

/** Cut coded page data into blocks of frames of `frameSize` octets (last frame padded with zeros). */
export function cutIntoBlocks(data: Uint8Array, frameSize: 64 | 256): Uint8Array[][] {
  const blocks: Uint8Array[][] = [];
  const nFrames = Math.max(1, Math.ceil(data.length / frameSize));
  for (let f = 0; f < nFrames; f++) {
    const b = Math.floor(f / ECM_MAX_FRAMES);
    if (!blocks[b]) blocks[b] = [];
    const frame = new Uint8Array(frameSize);
    frame.set(data.subarray(f * frameSize, Math.min(data.length, (f + 1) * frameSize)));
    blocks[b]!.push(frame);
  }
  return blocks;
}

/** An FCD frame as handed to the HDLC transmitter (address, control, FCF, frame number, data). */
export function fcdFrame(frameNo: number, data: Uint8Array): Uint8Array {
  const f = new Uint8Array(4 + data.length);
  f[0] = 0xff; f[1] = 0x03; f[2] = FCD; f[3] = frameNo & 0xff;
  f.set(data, 4);
  return f;
}

export function rcpFrame(): Uint8Array {
  return Uint8Array.of(0xff, 0x03, RCP);
}

/** Bitmap with a bit set for every frame index in `need`. */
export function bitmapOf(need: Iterable<number>): Uint8Array {
  const map = new Uint8Array(PPR_MAP_BYTES);
  for (const i of need) if (i >= 0 && i < ECM_MAX_FRAMES) map[i >> 3]! |= 1 << (i & 7);
  return map;
}

/** Frame indices below `count` whose bit is set in a PPR map. */
export function framesInBitmap(map: Uint8Array, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.min(count, map.length * 8); i++) if (map[i >> 3]! & (1 << (i & 7))) out.push(i);
  return out;
}

/** The sender's view of one block: which frames still have to go out. */
export class EcmTxBlock {
  /** Frame indices the receiver has not yet confirmed. */
  pending: number[];
  pprCount = 0;
  /** Frames confirmed since the last CTC: spandsp only falls back if progress was made. */
  progress = 0;
  constructor(readonly frames: Uint8Array[]) {
    this.pending = frames.map((_, i) => i);
  }
  /** FCD frames (+3 RCP) for the next burst. */
  burst(): Uint8Array[] {
    const out = this.pending.map((i) => fcdFrame(i, this.frames[i]!));
    out.push(rcpFrame(), rcpFrame(), rcpFrame());
    return out;
  }
  /** Apply a PPR map; returns the number of frames still pending. */
  applyPpr(map: Uint8Array): number {
    const still = framesInBitmap(map, this.frames.length);
    const set = new Set(still);
    this.progress += this.pending.filter((i) => !set.has(i)).length;
    this.pending = still;
    this.pprCount++;
    return still.length;
  }
}

/** The receiver's view of one block: frames stored as they arrive with a good FCS. */
export class EcmRxBlock {
  private slots: (Uint8Array | null)[] = new Array(ECM_MAX_FRAMES).fill(null);
  /** Frame count from the PPS; only raised, since a retransmission burst may quote fewer frames. */
  count = -1;
  received = 0;

  reset(): void {
    this.slots.fill(null);
    this.count = -1;
    this.received = 0;
  }

  /** Store an FCD frame's data; wrong lengths (not the size of frame 0) are dropped like spandsp does. */
  store(frameNo: number, data: Uint8Array): void {
    if (frameNo < 0 || frameNo >= ECM_MAX_FRAMES || data.length === 0 || data.length > 256) return;
    if (!this.slots[frameNo]) this.received++;
    this.slots[frameNo] = data.slice();
  }

  notePpsCount(frames: number): void {
    if (frames > this.count) this.count = frames;
  }

  /** Frames still missing among the first `count` (after a PPS). */
  missing(): number[] {
    const out: number[] = [];
    const n = Math.max(0, this.count);
    let size = -1;
    for (let i = 0; i < n; i++) {
      const s = this.slots[i];
      if (!s) { out.push(i); continue; }
      // All frames but the last share one size; a mismatch means a damaged frame, ask again.
      if (size < 0) size = s.length;
      else if (i < n - 1 && s.length !== size) { this.slots[i] = null; out.push(i); }
    }
    return out;
  }

  /** PPR map for what is missing (bits beyond `count` stay clear). */
  pprMap(): Uint8Array {
    return bitmapOf(this.missing());
  }

  /** After EOR: what there is, missing frames left out (the decoder counts the damage). */
  assembleAvailable(): Uint8Array {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < Math.max(0, this.count); i++) if (this.slots[i]) parts.push(this.slots[i]!);
    let len = 0;
    for (const p of parts) len += p.length;
    const out = new Uint8Array(len);
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  /** The block's data in frame order; call only when missing() is empty. */
  assemble(): Uint8Array {
    const n = Math.max(0, this.count);
    let len = 0;
    for (let i = 0; i < n; i++) len += this.slots[i]!.length;
    const out = new Uint8Array(len);
    let o = 0;
    for (let i = 0; i < n; i++) { out.set(this.slots[i]!, o); o += this.slots[i]!.length; }
    return out;
  }
}
