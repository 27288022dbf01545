/**
 * DIS / DTC / DCS facsimile information field: every bit of T.30 Table 2, both ways.
 *
 * Bit n of Table 2 is bit (n-1)%8 (LSB = first on the line) of FIF octet (n-1)/8. Octets from the
 * third on end with an "extend field" bit (24, 32, 40, ...) saying another octet follows.
 * Single bits are a table (`FLAG_DEFS`: key, bit, wording for DIS/DTC and for DCS); the multi-bit
 * fields (modem 11-14, width 17-18, length 19-20, minimum scan time 21-23, T.44 mode 92-94) have
 * their own typed values. `buildDis`/`parseDis` and `buildDcs`/`parseDcs` are inverses; set bits
 * that no definition claims are kept in `otherBits` so nothing read is lost.
 * Choosing what to answer (negotiation) is the T.30 engine's business, not this module's.
 */

/** [key, bit, DIS/DTC meaning, DCS meaning] ('' = not used in that frame). */
const FLAG_DEFS = [
  ['t37', 1, 'T.37 Internet fax (simple mode)', 'T.37 Internet fax (simple mode)'],
  ['t38', 3, 'T.38 real-time Internet fax', 'T.38 real-time Internet fax'],
  ['mobile3g', 4, '3rd generation mobile network', '3rd generation mobile network'],
  ['v8', 6, 'V.8 capabilities', ''],
  ['ecm64Preferred', 7, 'Frame size 64 octets preferred', ''],
  ['readyToTransmitFax', 9, 'Ready to transmit a facsimile document (polling)', ''],
  ['receiveFax', 10, 'Receiver fax operation (T.4)', 'Receive fax (T.4)'],
  ['fine', 15, 'Vertical resolution 7.7 lines/mm (fine) capable', 'Vertical resolution 7.7 lines/mm (fine)'],
  ['twoD', 16, 'Two-dimensional coding (MR) capable', 'Two-dimensional coding (MR)'],
  ['handshake2400', 25, '2400 bit/s handshaking', '2400 bit/s handshaking'],
  ['uncompressed', 26, 'Uncompressed mode capable', 'Uncompressed mode'],
  ['ecm', 27, 'Error correction mode capable', 'Error correction mode'],
  ['ecm64', 28, '', 'ECM frame size 64 octets'],
  ['t6', 31, 'T.6 coding (MMR) capable', 'T.6 coding (MMR)'],
  ['fnv', 33, 'Field not valid (FNV) capable', 'Field not valid (FNV) capable'],
  ['multipleSelectivePolling', 34, 'Multiple selective polling capable', ''],
  ['polledSubaddress', 35, 'Polled subaddress capable', ''],
  ['t43', 36, 'T.43 coding capable', 'T.43 coding'],
  ['planeInterleave', 37, 'Plane interleave capable', 'Plane interleave'],
  ['g726', 38, 'Voice coding with G.726', 'Voice coding with G.726'],
  ['extendedVoice', 39, 'Extended voice coding', 'Extended voice coding'],
  ['superfine', 41, 'Resolution 8 x 15.4 lines/mm (superfine) capable', 'Resolution 8 x 15.4 lines/mm (superfine)'],
  ['r300x300', 42, 'Resolution 300 x 300 pels/25.4 mm capable', 'Resolution 300 x 300 pels/25.4 mm'],
  ['r400x400', 43, 'Resolution 400 x 400 pels/25.4 mm (16 x 15.4 lines/mm) capable', 'Resolution 400 x 400 pels/25.4 mm (16 x 15.4 lines/mm)'],
  ['inch', 44, 'Inch-based resolution preferred', 'Resolution type: inch-based'],
  ['metric', 45, 'Metric-based resolution preferred', ''],
  ['scanHalfHigherRes', 46, 'Minimum scan line time for higher resolutions: T15.4 = 1/2 T7.7', ''],
  ['selectivePolling', 47, 'Selective polling (SEP) capable', ''],
  ['subaddressing', 49, 'Subaddressing (SUB) capable', 'Subaddress transmission'],
  ['password', 50, 'Password (PWD/SID) capable', 'Sender identification transmission'],
  ['readyToTransmitDataFile', 51, 'Ready to transmit a data file (polling)', ''],
  ['bft', 53, 'Binary file transfer (BFT, T.434) capable', 'Binary file transfer (BFT, T.434)'],
  ['dtm', 54, 'Document transfer mode (DTM) capable', 'Document transfer mode (DTM)'],
  ['edi', 55, 'Electronic data interchange (EDI) capable', 'Electronic data interchange (EDI)'],
  ['btm', 57, 'Basic transfer mode (BTM) capable', 'Basic transfer mode (BTM)'],
  ['readyToTransmitMixed', 59, 'Ready to transmit a character or mixed mode document (polling)', ''],
  ['characterMode', 60, 'Character mode (T.4 Annex D) capable', 'Character mode (T.4 Annex D)'],
  ['mixedMode', 62, 'Mixed mode (T.4 Annex E) capable', 'Mixed mode (T.4 Annex E)'],
  ['processable26', 65, 'Processable mode 26 (T.505) capable', 'Processable mode 26 (T.505)'],
  ['digitalNetwork', 66, 'Digital network capability', 'Digital network capability'],
  ['duplex', 67, 'Duplex and half-duplex capabilities', 'Duplex mode'],
  ['jpeg', 68, 'JPEG coding capable', 'JPEG coding'],
  ['fullColour', 69, 'Full colour mode capable', 'Full colour mode'],
  ['huffmanPreferred', 70, '', 'Preferred Huffman tables'],
  ['bits12', 71, '12 bits/pel/component capable', '12 bits/pel/component'],
  ['noSubsampling', 73, 'No subsampling (1:1:1)', 'No subsampling (1:1:1)'],
  ['customIlluminant', 74, 'Custom illuminant', 'Custom illuminant'],
  ['customGamut', 75, 'Custom gamut range', 'Custom gamut range'],
  ['letter', 76, 'North American Letter (215.9 x 279.4 mm) capable', 'North American Letter (215.9 x 279.4 mm)'],
  ['legal', 77, 'North American Legal (215.9 x 355.6 mm) capable', 'North American Legal (215.9 x 355.6 mm)'],
  ['t85', 78, 'T.85 (JBIG) basic capable', 'T.85 (JBIG) basic'],
  ['t85L0', 79, 'T.85 optional L0 capable', 'T.85 optional L0'],
  ['hkm', 81, 'HKM key management capable', 'HKM key management'],
  ['rsa', 82, 'RSA key management capable', 'RSA key management'],
  ['override', 83, 'Override mode capable', 'Override mode'],
  ['hfx40', 84, 'HFX40 cipher capable', 'HFX40 cipher'],
  ['cipher2', 85, 'Alternative cipher number 2 capable', 'Alternative cipher number 2'],
  ['cipher3', 86, 'Alternative cipher number 3 capable', 'Alternative cipher number 3'],
  ['hfx40i', 87, 'HFX40-I hashing capable', 'HFX40-I hashing'],
  ['hash2', 89, 'Alternative hashing system 2 capable', 'Alternative hashing system 2'],
  ['hash3', 90, 'Alternative hashing system 3 capable', 'Alternative hashing system 3'],
  ['t44StripSize', 95, 'Page length maximum strip size for T.44 (MRC)', 'Page length maximum strip size for T.44 (MRC)'],
  ['colour300', 97, 'Colour/grey-scale 300 / 400 pels/25.4 mm', 'Colour/grey-scale 300 / 400 pels/25.4 mm'],
  ['colour100', 98, 'Colour/grey-scale 100 x 100 pels/25.4 mm', 'Colour/grey-scale 100 x 100 pels/25.4 mm'],
  ['simpleBft', 99, 'Simple phase C BFT negotiations', 'Simple phase C BFT negotiations'],
  ['isp', 101, 'Internet selective polling address (ISP)', ''],
  ['ira', 102, 'Internet routing address (IRA)', 'Transmitting internet routing address (IRA)'],
  ['r600x600', 105, 'Resolution 600 x 600 pels/25.4 mm capable', 'Resolution 600 x 600 pels/25.4 mm'],
  ['r1200x1200', 106, 'Resolution 1200 x 1200 pels/25.4 mm capable', 'Resolution 1200 x 1200 pels/25.4 mm'],
  ['r300x600', 107, 'Resolution 300 x 600 pels/25.4 mm capable', 'Resolution 300 x 600 pels/25.4 mm'],
  ['r400x800', 108, 'Resolution 400 x 800 pels/25.4 mm capable', 'Resolution 400 x 800 pels/25.4 mm'],
  ['r600x1200', 109, 'Resolution 600 x 1200 pels/25.4 mm capable', 'Resolution 600 x 1200 pels/25.4 mm'],
  ['colour600', 110, 'Colour/grey-scale 600 x 600 pels/25.4 mm', 'Colour/grey-scale 600 x 600 pels/25.4 mm'],
  ['colour1200', 111, 'Colour/grey-scale 1200 x 1200 pels/25.4 mm', 'Colour/grey-scale 1200 x 1200 pels/25.4 mm'],
  ['duplexAlternate', 113, 'Double-sided printing, alternate mode', 'Double-sided printing, alternate mode'],
  ['duplexContinuous', 114, 'Double-sided printing, continuous mode', 'Double-sided printing, continuous mode'],
  ['bwMrc', 115, 'Black and white mixed raster content (MRC) profile', ''],
  ['t45', 116, 'T.45 (run-length colour) capable', 'T.45 (run-length colour)'],
  ['sharedMemory1', 117, 'Shared data memory capacity (bit 117)', 'Shared data memory capacity (bit 117)'],
  ['sharedMemory2', 118, 'Shared data memory capacity (bit 118)', 'Shared data memory capacity (bit 118)'],
  ['t44ColourSpace', 119, 'T.44 colour space', 'T.44 colour space'],
  ['t38FlowControl', 121, 'T.38 flow control', 'T.38 flow control'],
  ['kGreaterThan4', 122, 'K > 4', 'K > 4'],
  ['internetAware', 123, 'Internet-aware T.38 mode fax device', 'T.38 fax mode (internet-aware)'],
  ['t89Profile1', 124, 'T.89 application profile (bit 124)', 'T.89 application profile (bit 124)'],
  ['t89Profile2', 125, 'T.89 application profile (bit 125)', 'T.89 application profile (bit 125)'],
  ['t89Profile3', 126, 'T.89 application profile (bit 126)', 'T.89 application profile (bit 126)'],
  ['sycc', 127, 'sYCC-JPEG coding capable', 'sYCC-JPEG coding'],
] as const;

export type DisFlag = (typeof FLAG_DEFS)[number][0];
export type DisFlags = Record<DisFlag, boolean>;

/** Bits that belong to multi-bit fields or the extend bits (never in otherBits). */
const FIELD_BITS = new Set([11, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 92, 93, 94]);
const FLAG_BY_BIT = new Map<number, (typeof FLAG_DEFS)[number]>(FLAG_DEFS.map((d) => [d[1], d]));

export type ModemFamily = 'V.27ter' | 'V.29' | 'V.17';
export type PageWidth = 1728 | 2048 | 2432;
export type PageLength = 'A4' | 'B4' | 'unlimited';
/** Minimum scan line time in ms at 3.85 lines/mm. */
export type ScanTime = 0 | 5 | 10 | 20 | 40;

/** Capabilities as a DIS or DTC announces them. */
export interface DisCaps extends DisFlags {
  modems: { v27ter: boolean; v29: boolean; v17: boolean };
  /** Widest line the receiver takes: 1728 (A4), 2048 (B4), 2432 (A3). */
  maxWidth: PageWidth;
  /** Longest page: A4, B4 (and A4), or unlimited. */
  maxLength: PageLength;
  minScanTime: ScanTime;
  /** At 7.7 lines/mm the scan time may be half that at 3.85 (T7.7 = 1/2 T3.85). */
  scanHalfAtFine: boolean;
  /** T.44 (MRC) mode, bits 92-94 as a number 0..7 (bit 92 = 1). */
  t44Mode: number;
  /** Raw value of bits 11-14 when it is none of the standard combinations (else null). */
  modemCodeRaw: number | null;
  /** Set bits of reserved / unassigned positions, kept for a faithful round trip. */
  otherBits: number[];
}

/** Settings a DCS commands. */
export interface DcsParams extends DisFlags {
  modem: ModemFamily;
  bitRate: number;
  width: PageWidth;
  length: PageLength;
  minScanTime: ScanTime;
  t44Mode: number;
  /** Raw value of bits 11-14 when it is not a valid DCS modem code (modem/bitRate then are V.27ter 2400). */
  modemCodeRaw: number | null;
  otherBits: number[];
}

/** Read Table 2 bit `n` (1-based) of a FIF. Bits beyond the FIF read as 0. */
export function getFifBit(fif: Uint8Array, n: number): boolean {
  const i = (n - 1) >> 3;
  return i < fif.length && ((fif[i]! >> ((n - 1) & 7)) & 1) === 1;
}

function setBit(bytes: Uint8Array, n: number, v = true): void {
  const i = (n - 1) >> 3;
  if (v) bytes[i]! |= 1 << ((n - 1) & 7);
  else bytes[i]! &= ~(1 << ((n - 1) & 7));
}

function field(fif: Uint8Array, first: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) if (getFifBit(fif, first + k)) v |= 1 << k;
  return v;
}

function setField(bytes: Uint8Array, first: number, count: number, v: number): void {
  for (let k = 0; k < count; k++) setBit(bytes, first + k, ((v >> k) & 1) === 1);
}

/** True for the extend-field bits 24, 32, 40, ... */
export function isExtendBit(n: number): boolean {
  return n >= 24 && n % 8 === 0;
}

// Modem field, value = b11 | b12<<1 | b13<<2 | b14<<3.
const DIS_MODEMS: Record<number, { v27ter: boolean; v29: boolean; v17: boolean }> = {
  0: { v27ter: false, v29: false, v17: false }, // V.27ter fallback mode (2400 only)
  2: { v27ter: true, v29: false, v17: false },
  1: { v27ter: false, v29: true, v17: false },
  3: { v27ter: true, v29: true, v17: false },
  11: { v27ter: true, v29: true, v17: true },
};
const DCS_MODEMS: Record<number, [ModemFamily, number]> = {
  0: ['V.27ter', 2400], 2: ['V.27ter', 4800], 1: ['V.29', 9600], 3: ['V.29', 7200],
  8: ['V.17', 14400], 10: ['V.17', 12000], 9: ['V.17', 9600], 11: ['V.17', 7200],
};

/** The DCS modem code for a family and rate, or null if that pair does not exist. */
export function dcsModemCode(modem: ModemFamily, bitRate: number): number | null {
  for (const [code, [m, r]] of Object.entries(DCS_MODEMS)) if (m === modem && r === bitRate) return Number(code);
  return null;
}

function disModemCode(m: { v27ter: boolean; v29: boolean; v17: boolean }): number {
  if (m.v17) return 11; // T.30 only defines V.17 together with V.27ter and V.29
  return (m.v29 ? 1 : 0) | (m.v27ter ? 2 : 0);
}

const WIDTH_BY_CODE: PageWidth[] = [1728, 2048, 2432, 1728];
const WIDTH_CODE: Record<PageWidth, number> = { 1728: 0, 2048: 1, 2432: 2 };
const LENGTH_BY_CODE: PageLength[] = ['A4', 'B4', 'unlimited', 'A4'];
const LENGTH_CODE: Record<PageLength, number> = { A4: 0, B4: 1, unlimited: 2 };
// Scan field value = b21 | b22<<1 | b23<<2.
const SCAN_BY_CODE: [ScanTime, boolean][] = [[20, false], [5, false], [10, false], [20, true], [40, false], [40, true], [10, true], [0, false]];
const SCAN_CODE: Record<ScanTime, number> = { 20: 0, 5: 1, 10: 2, 40: 4, 0: 7 };

function emptyFlags(): DisFlags {
  const f = {} as DisFlags;
  for (const d of FLAG_DEFS) f[d[0]] = false;
  return f;
}

function readFlags(fif: Uint8Array, into: DisFlags): number[] {
  for (const d of FLAG_DEFS) into[d[0]] = getFifBit(fif, d[1]);
  const other: number[] = [];
  for (let n = 1; n <= fif.length * 8; n++) {
    if (!getFifBit(fif, n) || FIELD_BITS.has(n) || isExtendBit(n) || FLAG_BY_BIT.has(n)) continue;
    other.push(n);
  }
  return other;
}

/** Default DIS capabilities: a plain G3 receiver (V.27ter + V.29, A4, 20 ms, nothing optional). */
export function defaultDisCaps(): DisCaps {
  return {
    ...emptyFlags(), receiveFax: true, modems: { v27ter: true, v29: true, v17: false },
    maxWidth: 1728, maxLength: 'A4', minScanTime: 20, scanHalfAtFine: false, t44Mode: 0,
    modemCodeRaw: null, otherBits: [],
  };
}

export function defaultDcsParams(): DcsParams {
  return {
    ...emptyFlags(), receiveFax: true, modem: 'V.29', bitRate: 9600, width: 1728, length: 'A4',
    minScanTime: 20, t44Mode: 0, modemCodeRaw: null, otherBits: [],
  };
}

/** Trim to the last non-zero octet (at least 3) and set the extend bits of the octets before it. */
function finish(bytes: Uint8Array): Uint8Array {
  let len = bytes.length;
  while (len > 3 && (bytes[len - 1]! & 0x7f) === 0) len--;
  const out = bytes.slice(0, len);
  for (let i = 2; i < len; i++) {
    if (i < len - 1) out[i]! |= 0x80;
    else out[i]! &= 0x7f;
  }
  return out;
}

function writeFlags(bytes: Uint8Array, flags: Partial<DisFlags>, otherBits: number[] | undefined): void {
  for (const d of FLAG_DEFS) if (flags[d[0]]) setBit(bytes, d[1]);
  for (const n of otherBits ?? []) {
    if (n >= 1 && n <= bytes.length * 8 && !FIELD_BITS.has(n) && !isExtendBit(n)) setBit(bytes, n);
  }
}

const MAX_FIF = 24; // octets; Table 2 currently ends well before this

/** Build a DIS/DTC FIF from capabilities (missing fields take `defaultDisCaps()` values). */
export function buildDis(caps: Partial<DisCaps>): Uint8Array {
  const c = { ...defaultDisCaps(), ...caps };
  const b = new Uint8Array(MAX_FIF);
  writeFlags(b, c, c.otherBits);
  setField(b, 11, 4, c.modemCodeRaw ?? disModemCode(c.modems));
  setField(b, 17, 2, WIDTH_CODE[c.maxWidth]);
  setField(b, 19, 2, LENGTH_CODE[c.maxLength]);
  let scan = SCAN_CODE[c.minScanTime];
  if (c.scanHalfAtFine) scan = c.minScanTime === 10 ? 6 : c.minScanTime === 20 ? 3 : c.minScanTime === 40 ? 5 : scan;
  setField(b, 21, 3, scan);
  setField(b, 92, 3, c.t44Mode & 7);
  return finish(b);
}

/** Read a DIS/DTC FIF. Never throws; a short FIF reads as zeros beyond its end. */
export function parseDis(fif: Uint8Array): DisCaps {
  const flags = emptyFlags();
  const otherBits = readFlags(fif, flags);
  const mc = field(fif, 11, 4);
  const modems = DIS_MODEMS[mc];
  const [scan, half] = SCAN_BY_CODE[field(fif, 21, 3)]!;
  return {
    ...flags,
    modems: modems ? { ...modems } : { v27ter: (mc & 2) !== 0, v29: (mc & 1) !== 0, v17: (mc & 8) !== 0 },
    modemCodeRaw: modems ? null : mc,
    maxWidth: WIDTH_BY_CODE[field(fif, 17, 2)]!,
    maxLength: LENGTH_BY_CODE[field(fif, 19, 2)]!,
    minScanTime: scan,
    scanHalfAtFine: half,
    t44Mode: field(fif, 92, 3),
    otherBits,
  };
}

/** Build a DCS FIF. */
export function buildDcs(params: Partial<DcsParams>): Uint8Array {
  const p = { ...defaultDcsParams(), ...params };
  const b = new Uint8Array(MAX_FIF);
  writeFlags(b, p, p.otherBits);
  const code = p.modemCodeRaw ?? dcsModemCode(p.modem, p.bitRate);
  if (code === null) throw new Error(`DCS: no modem code for ${p.modem} at ${p.bitRate} bit/s`);
  setField(b, 11, 4, code);
  setField(b, 17, 2, WIDTH_CODE[p.width]);
  setField(b, 19, 2, LENGTH_CODE[p.length]);
  setField(b, 21, 3, SCAN_CODE[p.minScanTime]);
  setField(b, 92, 3, p.t44Mode & 7);
  return finish(b);
}

/** Read a DCS FIF. Never throws. */
export function parseDcs(fif: Uint8Array): DcsParams {
  const flags = emptyFlags();
  const otherBits = readFlags(fif, flags);
  const mc = field(fif, 11, 4);
  const m = DCS_MODEMS[mc];
  const sc = field(fif, 21, 3);
  return {
    ...flags,
    modem: m ? m[0] : 'V.27ter',
    bitRate: m ? m[1] : 2400,
    modemCodeRaw: m ? null : mc,
    width: WIDTH_BY_CODE[field(fif, 17, 2)]!,
    length: LENGTH_BY_CODE[field(fif, 19, 2)]!,
    minScanTime: SCAN_BY_CODE[sc]![0],
    t44Mode: field(fif, 92, 3),
    otherBits,
  };
}

function modemsText(m: { v27ter: boolean; v29: boolean; v17: boolean }, raw: number | null): string {
  if (raw !== null) return `Modems: reserved code ${raw.toString(2).padStart(4, '0')} (bits 14..11)`;
  if (m.v17) return 'Modems: V.27ter, V.29 and V.17';
  if (m.v27ter && m.v29) return 'Modems: V.27ter and V.29';
  if (m.v29) return 'Modems: V.29';
  if (m.v27ter) return 'Modems: V.27ter';
  return 'Modems: V.27ter fallback mode (2400 bit/s only)';
}

const WIDTH_TEXT: Record<PageWidth, string> = { 1728: '1728 pels / 215 mm (A4)', 2048: '2048 pels / 255 mm (B4)', 2432: '2432 pels / 303 mm (A3)' };

/** Describe a DIS/DTC (`kind` 'DIS' or 'DTC') or DCS FIF in words, one line per item. */
export function describeDisFif(fif: Uint8Array, kind: 'DIS' | 'DTC' | 'DCS'): string[] {
  const out: string[] = [];
  const dcs = kind === 'DCS';
  if (dcs) {
    const p = parseDcs(fif);
    out.push(p.modemCodeRaw !== null ? `Modem: invalid code ${p.modemCodeRaw.toString(2).padStart(4, '0')} (bits 14..11)` : `Modem: ${p.modem} ${p.bitRate} bit/s`);
    out.push(`Recording width: ${WIDTH_TEXT[p.width]}${field(fif, 17, 2) === 3 ? ' (invalid code 11)' : ''}`);
    out.push(`Recording length: ${p.length}${field(fif, 19, 2) === 3 ? ' (invalid code 11)' : ''}`);
    const sc = field(fif, 21, 3);
    out.push(`Minimum scan line time: ${p.minScanTime} ms${[3, 5, 6].includes(sc) ? ' (invalid code for DCS)' : ''}`);
    out.push(p.fine ? 'Vertical resolution: 7.7 lines/mm (fine)' : 'Vertical resolution: 3.85 lines/mm (standard)');
    out.push(`Coding: ${p.t6 ? 'T.6 (MMR)' : p.twoD ? 'T.4 two-dimensional (MR)' : 'T.4 one-dimensional (MH)'}`);
    if (p.ecm) out.push(`Error correction mode, ${p.ecm64 ? 64 : 256}-octet frames`);
  } else {
    const c = parseDis(fif);
    out.push(modemsText(c.modems, c.modemCodeRaw));
    out.push(`Maximum recording width: ${c.maxWidth === 1728 ? WIDTH_TEXT[1728] : c.maxWidth === 2048 ? 'A4 and B4 (up to 2048 pels)' : 'A4, B4 and A3 (up to 2432 pels)'}${field(fif, 17, 2) === 3 ? ' (invalid code 11)' : ''}`);
    out.push(`Maximum recording length: ${c.maxLength === 'B4' ? 'A4 and B4' : c.maxLength}${field(fif, 19, 2) === 3 ? ' (invalid code 11)' : ''}`);
    out.push(`Minimum scan line time: ${c.minScanTime} ms at 3.85 lines/mm${c.scanHalfAtFine ? ', half at 7.7 lines/mm' : ''}`);
    if (c.ecm) out.push(c.t6 ? 'Error correction mode with T.6 (MMR)' : 'Error correction mode');
  }
  const skip = new Set<DisFlag>(dcs ? ['ecm', 'ecm64', 't6', 'twoD', 'fine'] : ['ecm']);
  for (const d of FLAG_DEFS) {
    if (!getFifBit(fif, d[1]) || skip.has(d[0])) continue;
    const text = dcs ? d[3] : d[2];
    out.push(text || `Bit ${d[1]} set (not used in ${kind})`);
  }
  const t44 = field(fif, 92, 3);
  if (t44) out.push(`T.44 mixed raster content mode ${t44}`);
  for (const n of readFlags(fif, emptyFlags())) out.push(`Bit ${n} set (reserved)`);
  if (fif.length < 3) out.push(`Short field: ${fif.length} octet(s), at least 3 expected`);
  for (let i = 2; i < fif.length - 1; i++) {
    if (!(fif[i]! & 0x80)) {
      out.push(`Extend bit ${8 * (i + 1)} clear but more octets follow`);
      break;
    }
  }
  if (fif.length >= 3 && fif[fif.length - 1]! & 0x80) out.push('Extend bit set on the last octet (field truncated?)');
  return out;
}
