/**
 * Capability negotiation for the T.30 engine: what we can do (FaxCaps), conversion to and from
 * DIS/DTC/DCS (the Table 2 bit coding itself is dis.ts's), spandsp's modem fall-back order, and
 * the choice of session parameters from the far end's DIS (best common modem, coding,
 * resolution, width, ECM, frame size).
 */
import * as dis from './dis';

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
  /** Sender: use 64-octet ECM frames instead of 256. */
  ecm64?: boolean;
  /** Sender: send finer pages at a coarser resolution the far end takes (default) or refuse (false). */
  reduceResolution?: boolean;
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

/** DIS (or DTC) FIF from our capabilities (Table 2 coding in dis.ts). */
export function buildDis(c: FaxCaps): Uint8Array {
  return dis.buildDis({
    readyToTransmitFax: c.readyToTransmit,
    receiveFax: c.canReceive,
    modems: { v27ter: c.v27ter, v29: c.v29, v17: c.v17 },
    fine: c.fine,
    superfine: c.superfine,
    twoD: c.mr,
    ecm: c.ecm,
    t6: c.ecm && c.mmr,
    maxWidth: c.widths.includes(2432) ? 2432 : c.widths.includes(2048) ? 2048 : 1728,
    maxLength: c.unlimitedLength ? 'unlimited' : 'B4',
    minScanTime: c.minScanMs as dis.ScanTime,
  });
}

/** Read a DIS/DTC FIF into capabilities. */
export function parseDis(fif: Uint8Array): FaxCaps {
  const d = dis.parseDis(fif);
  const w = d.maxWidth;
  const none = !d.modems.v27ter && !d.modems.v29 && !d.modems.v17 && d.modemCodeRaw === null;
  return {
    // 0000 is "V.27ter fall-back mode" (2400 only); we treat it as V.27ter.
    v27ter: d.modems.v27ter || none,
    v29: d.modems.v29,
    v17: d.modems.v17,
    fine: d.fine,
    superfine: d.superfine,
    mr: d.twoD,
    mmr: d.t6,
    ecm: d.ecm,
    widths: w === 1728 ? [1728] : w === 2048 ? [1728, 2048] : [1728, 2048, 2432],
    unlimitedLength: d.maxLength === 'unlimited',
    // "Half at fine" codes: take the longer (standard) value, the safe side.
    minScanMs: d.minScanTime,
    readyToTransmit: d.readyToTransmitFax,
    canReceive: d.receiveFax,
  };
}

/** false when a DIS's modem bits are none of Table 2's combinations (e.g. V.33/V.34-only codes). */
export function disModemBitsValid(fif: Uint8Array): boolean {
  return dis.parseDis(fif).modemCodeRaw === null;
}

const FAMILY_NAME: Record<ModemFamily, dis.ModemFamily> = { v27ter: 'V.27ter', v29: 'V.29', v17: 'V.17' };

export function buildDcs(s: Session): Uint8Array {
  const f = FALLBACK[s.fallback]!;
  return dis.buildDcs({
    receiveFax: true,
    modem: FAMILY_NAME[f.family],
    bitRate: f.rate,
    fine: s.yRes === 'fine',
    superfine: s.yRes === 'superfine',
    twoD: s.coding === 'MR',
    t6: s.coding === 'MMR',
    ecm: s.ecm,
    ecm64: s.ecm && s.frameSize === 64,
    width: s.width as dis.PageWidth,
    length: 'unlimited',
    minScanTime: (s.ecm ? 0 : s.minScanMs) as dis.ScanTime,
  });
}

/** The session a DCS asks for; null when its modem bits name no modem we know. */
export function parseDcs(fif: Uint8Array): Session | null {
  const d = dis.parseDcs(fif);
  if (d.modemCodeRaw !== null) return null;
  const fallback = FALLBACK.findIndex((f) => FAMILY_NAME[f.family] === d.modem && f.rate === d.bitRate);
  if (fallback < 0) return null;
  return {
    fallback,
    ecm: d.ecm,
    frameSize: d.ecm && d.ecm64 ? 64 : 256,
    coding: d.t6 ? 'MMR' : d.twoD ? 'MR' : 'MH',
    yRes: d.superfine ? 'superfine' : d.fine ? 'fine' : 'standard',
    width: d.width,
    minScanMs: d.ecm ? 0 : d.minScanTime,
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
  // A finer page than the far end takes goes at the best resolution it does take (the page
  // source reduces the lines, as HylaFAX does), never finer than the page itself.
  let yRes: YRes = page.yRes;
  if (yRes === 'superfine' && !remote.superfine) yRes = 'fine';
  if (yRes === 'fine' && !remote.fine) yRes = 'standard';
  if (yRes !== page.yRes && local.reduceResolution === false) return 'resolution';
  if (!remote.widths.includes(page.width)) return 'size';
  const ecm = local.ecm && remote.ecm;
  const coding: Coding = ecm && local.mmr && remote.mmr ? 'MMR' : local.mr && remote.mr ? 'MR' : 'MH';
  return { fallback, ecm, frameSize: local.ecm64 ? 64 : 256, coding, yRes, width: page.width, minScanMs: ecm ? 0 : remote.minScanMs };
}

/** Bits per row the sender must at least send in non-ECM mode (minimum scan-line time). */
export function minRowBits(s: Session): number {
  if (s.ecm || s.minScanMs === 0) return 0;
  // Fine/superfine halve the time for the "half" codes; we use the stated value (safe side).
  return Math.ceil((FALLBACK[s.fallback]!.rate * s.minScanMs) / 1000);
}
