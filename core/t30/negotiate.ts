/**
 * Capability negotiation for the T.30 engine: what we can do (FaxCaps), the DIS/DTC/DCS bits
 * the engine needs to read and write them (T.30 Table 2; bit n lives in FIF octet (n-1)>>3 as
 * 1 << ((n-1) & 7)), spandsp's modem fall-back order, and the choice of session parameters from
 * the far end's DIS (best common modem, coding, resolution, width, ECM).
 */

export type ModemFamily = 'v27ter' | 'v29' | 'v17';
export type Coding = 'MH' | 'MR' | 'MMR';
export type YRes = 'standard' | 'fine' | 'superfine';

export interface FastModem {
  family: ModemFamily;
  rate: number;
}

/** The fall-back order (spandsp's): the sender starts at the top the DIS allows and steps down on FTT. */
export const FALLBACK: readonly (FastModem & { dcsBits: number })[] = [
  { family: 'v17', rate: 14400, dcsBits: 0x20 },
  { family: 'v17', rate: 12000, dcsBits: 0x28 },
  { family: 'v17', rate: 9600, dcsBits: 0x24 },
  { family: 'v29', rate: 9600, dcsBits: 0x04 },
  { family: 'v17', rate: 7200, dcsBits: 0x2c },
  { family: 'v29', rate: 7200, dcsBits: 0x0c },
  { family: 'v27ter', rate: 4800, dcsBits: 0x08 },
  { family: 'v27ter', rate: 2400, dcsBits: 0x00 },
];

export function modemName(m: FastModem): string {
  return m.family === 'v27ter' ? 'V.27ter' : m.family === 'v29' ? 'V.29' : 'V.17';
}

/** What one endpoint can do. */
export interface FaxCaps {
  v27ter: boolean;
  v29: boolean;
  v17: boolean;
  fine: boolean;
  superfine: boolean;
  mr: boolean;
  mmr: boolean;
  ecm: boolean;
  /** Widths in pixels at R8 (1728, 2048, 2432). */
  widths: number[];
  unlimitedLength: boolean;
  /** Receiver's minimum scan-line time at R8 standard, ms (0, 5, 10, 20, 40). */
  minScanMs: number;
  /** DIS bit 9: a document is ready to be polled. DCS: unused. */
  readyToTransmit: boolean;
  /** DIS bit 10: able to receive. */
  canReceive: boolean;
}

export function defaultCaps(): FaxCaps {
  return {
    v27ter: true, v29: true, v17: true, fine: true, superfine: true, mr: true, mmr: true, ecm: true,
    widths: [1728, 2048, 2432], unlimitedLength: true, minScanMs: 0, readyToTransmit: false, canReceive: true,
  };
}

/** The parameters a DCS sets for a page transfer. */
export interface Session {
  fallback: number;
  ecm: boolean;
  frameSize: 64 | 256;
  coding: Coding;
  yRes: YRes;
  width: number;
  minScanMs: number;
}

export function sessionModem(s: Session): FastModem {
  const f = FALLBACK[s.fallback]!;
  return { family: f.family, rate: f.rate };
}

const bit = (fif: Uint8Array, n: number): boolean => (fif[(n - 1) >> 3]! & (1 << ((n - 1) & 7))) !== 0;
function setBit(fif: Uint8Array, n: number): void {
  fif[(n - 1) >> 3]! |= 1 << ((n - 1) & 7);
}

// Minimum scan time codes, bits 21-23 as the field value (bit 21 = LSB): T.30 Table 2.
// Field value with bit 21 as its LSB: T.30 lists them as (21,22,23) = 000 20 ms, 100 5 ms, 010 10 ms, 001 40 ms, 111 0 ms.
const SCAN_CODES: [number, number][] = [[20, 0], [5, 1], [10, 2], [40, 4], [0, 7]];
function scanCode(ms: number): number {
  return (SCAN_CODES.find(([m]) => m === ms) ?? [0, 7])[1];
}
function scanMs(code: number): number {
  switch (code) {
    case 0: return 20;
    case 1: return 5;
    case 2: return 10;
    case 4: return 40;
    case 7: return 0;
    case 6: return 10; // "10 ms, 5 ms at fine": take the longer
    case 3: return 20; // 20 / 10
    case 5: return 40; // 40 / 20
    default: return 20;
  }
}
function readField(fif: Uint8Array, first: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) if (bit(fif, first + i)) v |= 1 << i;
  return v;
}
function writeField(fif: Uint8Array, first: number, n: number, v: number): void {
  for (let i = 0; i < n; i++) if (v & (1 << i)) setBit(fif, first + i);
}

/** Set the extension bits (24, 32, 40, ...) and trim to the last octet that carries anything. */
function finish(fif: Uint8Array): Uint8Array {
  let last = 2;
  for (let i = fif.length - 1; i >= 3; i--) if (fif[i] !== 0) { last = i; break; }
  for (let i = 2; i < last; i++) fif[i]! |= 0x80;
  return fif.slice(0, last + 1);
}

/** DIS (or DTC) FIF from our capabilities. */
export function buildDis(c: FaxCaps): Uint8Array {
  const fif = new Uint8Array(8);
  if (c.readyToTransmit) setBit(fif, 9);
  if (c.canReceive) setBit(fif, 10);
  // Modem bits 11-14: V.27ter = 12, V.29 = 11, V.17 = 14 (with 11 and 12).
  let m = 0;
  if (c.v27ter) m |= 0x02;
  if (c.v29) m |= 0x01;
  if (c.v17) m |= 0x0b;
  writeField(fif, 11, 4, m);
  if (c.fine) setBit(fif, 15);
  if (c.mr) setBit(fif, 16);
  writeField(fif, 17, 2, c.widths.includes(2432) ? 2 : c.widths.includes(2048) ? 1 : 0);
  writeField(fif, 19, 2, c.unlimitedLength ? 1 : 0);
  writeField(fif, 21, 3, scanCode(c.minScanMs));
  if (c.ecm) setBit(fif, 27);
  if (c.ecm && c.mmr) setBit(fif, 31);
  if (c.superfine) setBit(fif, 41);
  return finish(fif);
}

/** Read a DIS/DTC FIF into capabilities. */
export function parseDis(fif: Uint8Array): FaxCaps {
  const m = readField(fif, 11, 4);
  const ext1 = bit(fif, 24);
  const ext2 = ext1 && bit(fif, 32);
  const w = readField(fif, 17, 2);
  return {
    // 0000 is "V.27ter fall-back mode" (2400 only); we treat it as V.27ter.
    v27ter: m === 0 || (m & 0x02) !== 0,
    v29: (m & 0x01) !== 0,
    v17: (m & 0x0f) === 0x0b,
    fine: bit(fif, 15),
    superfine: ext2 && bit(fif, 41),
    mr: bit(fif, 16),
    mmr: ext1 && bit(fif, 31),
    ecm: ext1 && bit(fif, 27),
    widths: w === 0 ? [1728] : w === 1 ? [1728, 2048] : [1728, 2048, 2432],
    unlimitedLength: readField(fif, 19, 2) === 1,
    minScanMs: scanMs(readField(fif, 21, 3)),
    readyToTransmit: bit(fif, 9),
    canReceive: bit(fif, 10),
  };
}

/** true when a DIS claims only modem bits we cannot make sense of (e.g. V.33/V.34-only codes). */
export function disModemBitsValid(fif: Uint8Array): boolean {
  const m = readField(fif, 11, 4);
  return m === 0 || m === 0x01 || m === 0x02 || m === 0x03 || m === 0x0b || m === 0x07 || m === 0x0f;
}

export function buildDcs(s: Session): Uint8Array {
  const fif = new Uint8Array(8);
  setBit(fif, 10);
  fif[1]! |= FALLBACK[s.fallback]!.dcsBits;
  if (s.yRes === 'fine') setBit(fif, 15);
  if (s.coding === 'MR') setBit(fif, 16);
  writeField(fif, 17, 2, s.width === 2432 ? 2 : s.width === 2048 ? 1 : 0);
  writeField(fif, 19, 2, 1);
  writeField(fif, 21, 3, s.ecm ? 7 : scanCode(s.minScanMs));
  if (s.ecm) setBit(fif, 27);
  if (s.ecm && s.frameSize === 64) setBit(fif, 28);
  if (s.coding === 'MMR') setBit(fif, 31);
  if (s.yRes === 'superfine') setBit(fif, 41);
  return finish(fif);
}

/** The session a DCS asks for; null when its modem bits name no modem we know. */
export function parseDcs(fif: Uint8Array): Session | null {
  const code = (fif[1] ?? 0) & 0x3c;
  const fallback = FALLBACK.findIndex((f) => f.dcsBits === code);
  if (fallback < 0) return null;
  const ext1 = bit(fif, 24);
  const ext2 = ext1 && bit(fif, 32);
  const w = readField(fif, 17, 2);
  const ecm = ext1 && bit(fif, 27);
  return {
    fallback,
    ecm,
    frameSize: ecm && bit(fif, 28) ? 64 : 256,
    coding: ext1 && bit(fif, 31) ? 'MMR' : bit(fif, 16) ? 'MR' : 'MH',
    yRes: ext2 && bit(fif, 41) ? 'superfine' : bit(fif, 15) ? 'fine' : 'standard',
    width: w === 2 ? 2432 : w === 1 ? 2048 : 1728,
    minScanMs: ecm ? 0 : scanMs(readField(fif, 21, 3)),
  };
}

/** The CTC FIF (T.30 A.4): octets 1-2 of a DCS, of which the modem bits matter. */
export function buildCtc(fallback: number): Uint8Array {
  return Uint8Array.of(0, FALLBACK[fallback]!.dcsBits);
}
export function parseCtc(fif: Uint8Array): number {
  return FALLBACK.findIndex((f) => f.dcsBits === ((fif[1] ?? 0) & 0x3c));
}

/** Does the fall-back entry fit both sides' modems? */
export function modemAllowed(i: number, a: FaxCaps, b: FaxCaps): boolean {
  const f = FALLBACK[i]!.family;
  return a[f] && b[f];
}

/** First permitted entry at or below `from`, or -1. */
export function nextFallback(from: number, a: FaxCaps, b: FaxCaps): number {
  for (let i = from; i < FALLBACK.length; i++) if (modemAllowed(i, a, b)) return i;
  return -1;
}

export type NegotiationFailure = 'incompatible' | 'rx-incapable' | 'resolution' | 'size';

/** Choose the session for sending a page of `width` x `yRes` to `remote`, or say why not. */
export function negotiate(
  local: FaxCaps, remote: FaxCaps, page: { width: number; yRes: YRes },
): Session | NegotiationFailure {
  if (!remote.canReceive) return 'rx-incapable';
  const fallback = nextFallback(0, local, remote);
  if (fallback < 0) return 'incompatible';
  if (page.yRes === 'fine' && !remote.fine) return 'resolution';
  if (page.yRes === 'superfine' && !remote.superfine) return 'resolution';
  if (!remote.widths.includes(page.width)) return 'size';
  const ecm = local.ecm && remote.ecm;
  const coding: Coding = ecm && local.mmr && remote.mmr ? 'MMR' : local.mr && remote.mr ? 'MR' : 'MH';
  return { fallback, ecm, frameSize: 256, coding, yRes: page.yRes, width: page.width, minScanMs: ecm ? 0 : remote.minScanMs };
}

/** Bits per row the sender must at least send in non-ECM mode (minimum scan-line time). */
export function minRowBits(s: Session): number {
  if (s.ecm || s.minScanMs === 0) return 0;
  // Fine/superfine halve the time for the "half" codes; we use the stated value (safe side).
  return Math.ceil((FALLBACK[s.fallback]!.rate * s.minScanMs) / 1000);
}
