/**
 * T.38 fax relay: UDPTL packets (T.38 Annex B / clause 9.1) with redundancy and parity-FEC
 * recovery, and IFP packets (T.38 clause 8, ASN.1 aligned PER) in both the original 1998
 * encoding ("version 0", whose field-type lacked the extension marker, so a field without data
 * takes half an octet) and the corrected one used since 2002 ("version 1+").
 *
 * How: `parseUdptl`/`encodeUdptl` handle one datagram: 16-bit sequence number, the primary IFP
 * as an open type (PER length + octets), then either secondary IFPs (newest first: seq-1,
 * seq-2, …) or FEC (span, entries, and `entries` XOR parities; parity m of packet x covers
 * packets x+m-entries*span, … stepping by `entries`, up to x+m-entries — the layout spandsp
 * and Asterisk use). `recoverUdptl` lays a whole direction's packets out by extended sequence
 * number and fills holes from redundancy, then from FEC until nothing more can be repaired.
 * `parseIfp`/`encodeIfp` handle the IFP itself; `T38Assembler` turns a direction's IFPs, in
 * order, into the story: indicator/data events, HDLC frames (octets bit-reversed back from
 * T.38's line order, FCS not included — T.38 carries only the FCS verdict) and non-ECM page
 * data (also bit-reversed, so bit 0 of each octet is the first bit on the line, as the modem
 * receivers pack it), marked 'tcf' when it follows the same side's DCS, else 'page'.
 */

// ---------------------------------------------------------------------------------------------
// Names (the order is the ASN.1 enumeration order, which is the wire value).

export const T38_INDICATORS = [
  'no-signal', 'cng', 'ced', 'v21-preamble', 'v27-2400-training', 'v27-4800-training',
  'v29-7200-training', 'v29-9600-training', 'v17-7200-short-training', 'v17-7200-long-training',
  'v17-9600-short-training', 'v17-9600-long-training', 'v17-12000-short-training',
  'v17-12000-long-training', 'v17-14400-short-training', 'v17-14400-long-training',
  // extensions (T.38 2002+)
  'v8-ansam', 'v8-signal', 'v34-cntl-channel-1200', 'v34-pri-channel', 'v34-CC-retrain',
  'v33-12000-training', 'v33-14400-training',
] as const;
const ROOT_INDICATORS = 16;

export const T38_DATA_TYPES = [
  'v21', 'v27-2400', 'v27-4800', 'v29-7200', 'v29-9600', 'v17-7200', 'v17-9600', 'v17-12000',
  'v17-14400',
  // extensions
  'v8', 'v34-pri-rate', 'v34-CC-1200', 'v34-pri-ch', 'v33-12000', 'v33-14400',
] as const;
const ROOT_DATA_TYPES = 9;

export const T38_FIELD_TYPES = [
  'hdlc-data', 'hdlc-sig-end', 'hdlc-fcs-OK', 'hdlc-fcs-BAD', 'hdlc-fcs-OK-sig-end',
  'hdlc-fcs-BAD-sig-end', 't4-non-ecm-data', 't4-non-ecm-sig-end',
  // extensions
  'cm-message', 'jm-message', 'ci-message', 'v34rate',
] as const;
const ROOT_FIELD_TYPES = 8;

export type T38Indicator = (typeof T38_INDICATORS)[number];
export type T38DataType = (typeof T38_DATA_TYPES)[number];
export type T38FieldType = (typeof T38_FIELD_TYPES)[number];

export interface IfpField { type: T38FieldType; data: Uint8Array }

export type IfpPacket =
  | { kind: 'indicator'; indicator: T38Indicator }
  | { kind: 'data'; dataType: T38DataType; fields: IfpField[] };

/** 0 = T.38 (1998) encoding; 1 = the corrected encoding of 2002 and later (versions 1, 2, 3). */
export type IfpVersion = 0 | 1;

export class T38Error extends Error {}

// ---------------------------------------------------------------------------------------------
// PER helpers.

/** Read a PER length determinant at b[p]; returns [length, next offset]. Fragmented lengths
 *  (0xC0 | k, k * 16K items) are returned as such; callers loop. */
function readLength(b: Uint8Array, p: number): [number, number, boolean] {
  if (p >= b.length) throw new T38Error('packet ends inside a length');
  const x = b[p]!;
  if ((x & 0x80) === 0) return [x, p + 1, false];
  if ((x & 0x40) === 0) {
    if (p + 2 > b.length) throw new T38Error('packet ends inside a length');
    return [((x & 0x3f) << 8) | b[p + 1]!, p + 2, false];
  }
  const k = x & 0x3f;
  if (k < 1 || k > 4) throw new T38Error('bad fragmented length');
  return [k * 0x4000, p + 1, true];
}

function writeLength(out: number[], n: number): void {
  if (n < 0x80) out.push(n);
  else if (n < 0x4000) out.push(0x80 | (n >> 8), n & 0xff);
  else throw new T38Error('lengths of 16384 or more are not supported when encoding');
}

/** Read an open type / octet string with an unconstrained length (handles fragments). */
function readOctets(b: Uint8Array, p: number): [Uint8Array, number] {
  const parts: Uint8Array[] = [];
  for (;;) {
    const [n, q, more] = readLength(b, p);
    if (q + n > b.length) throw new T38Error('packet ends inside an octet string');
    parts.push(b.subarray(q, q + n));
    p = q + n;
    if (!more) break;
  }
  if (parts.length === 1) return [parts[0]!, p];
  const all = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of parts) { all.set(x, o); o += x.length; }
  return [all, p];
}

function writeOctets(out: number[], data: Uint8Array): void {
  writeLength(out, data.length);
  for (const x of data) out.push(x);
}

// ---------------------------------------------------------------------------------------------
// IFP.

interface IfpParse { packet: IfpPacket; end: number }

function parseIfpAt(b: Uint8Array, version: IfpVersion): IfpParse {
  if (b.length < 1) throw new T38Error('empty IFP packet');
  const first = b[0]!;
  const dataPresent = (first & 0x80) !== 0;
  const isData = (first & 0x40) !== 0;
  let p: number;
  let value: number;
  if (first & 0x20) {
    // Extension value: a "normally small" number in the next 7 bits (bit 4 = 0, then 6 bits).
    if (b.length < 2) throw new T38Error('IFP ends inside its type');
    if (first & 0x10) throw new T38Error('IFP type extension too large');
    value = (isData ? ROOT_DATA_TYPES : ROOT_INDICATORS) + (((first & 0x0f) << 2) | (b[1]! >> 6));
    p = 2;
  } else {
    value = (first >> 1) & 0x0f;
    p = 1;
  }
  if (!isData) {
    if (dataPresent) throw new T38Error('IFP indicator with a data field');
    const indicator = T38_INDICATORS[value];
    if (!indicator) throw new T38Error(`unknown T.38 indicator ${value}`);
    return { packet: { kind: 'indicator', indicator }, end: p };
  }
  const dataType = T38_DATA_TYPES[value];
  // A root value past the last root type is not valid (only the extension can reach them).
  if (!dataType || (!(first & 0x20) && value >= ROOT_DATA_TYPES)) throw new T38Error(`unknown T.38 data type ${value}`);
  const fields: IfpField[] = [];
  if (!dataPresent) return { packet: { kind: 'data', dataType, fields }, end: p };
  let halfOctet = false; // version 0: the previous field used only the high nibble of b[p]
  for (let more = true; more;) {
    const [n, q, frag] = readLength(b, p);
    p = q; more = frag;
    for (let i = 0; i < n; i++) {
      let hasData: boolean;
      let ft: number;
      if (version === 0) {
        // 1998 encoding: presence bit + 3-bit type, not octet aligned when no data follows.
        if (p >= b.length) throw new T38Error('IFP ends inside a field');
        if (halfOctet) {
          hasData = (b[p]! & 0x08) !== 0;
          ft = b[p]! & 0x07;
          p++;
          halfOctet = false;
        } else {
          hasData = (b[p]! & 0x80) !== 0;
          ft = (b[p]! >> 4) & 0x07;
          if (hasData) p++; else halfOctet = true;
        }
      } else {
        if (p >= b.length) throw new T38Error('IFP ends inside a field');
        hasData = (b[p]! & 0x80) !== 0;
        if (b[p]! & 0x40) {
          if (p + 2 > b.length) throw new T38Error('IFP ends inside a field type');
          if (b[p]! & 0x20) throw new T38Error('IFP field type extension too large');
          ft = ROOT_FIELD_TYPES + (((b[p]! & 0x1f) << 2) | (b[p + 1]! >> 6));
          p += 2;
        } else {
          ft = (b[p]! >> 3) & 0x07;
          p++;
        }
      }
      const type = T38_FIELD_TYPES[ft];
      if (!type) throw new T38Error(`unknown T.38 field type ${ft}`);
      let data: Uint8Array = EMPTY;
      if (hasData) {
        // field-data OCTET STRING (SIZE(1..65535)): a 16-bit aligned (length - 1).
        if (p + 2 > b.length) throw new T38Error('IFP ends inside a field length');
        const len = ((b[p]! << 8) | b[p + 1]!) + 1;
        if (p + 2 + len > b.length) throw new T38Error('IFP ends inside field data');
        data = b.subarray(p + 2, p + 2 + len);
        p += 2 + len;
      }
      fields.push({ type, data });
    }
  }
  if (halfOctet) p++;
  return { packet: { kind: 'data', dataType, fields }, end: p };
}
const EMPTY = new Uint8Array(0);

/**
 * Parse one IFP packet. Throws T38Error when malformed. Trailing octets are an error unless
 * they are all zero and `allowZeroTail` (FEC-repaired packets are zero padded to the longest
 * packet they were XORed with).
 */
export function parseIfp(b: Uint8Array, version: IfpVersion = 1, allowZeroTail = false): IfpPacket {
  const r = parseIfpAt(b, version);
  if (r.end !== b.length) {
    let zeros = allowZeroTail;
    for (let i = r.end; zeros && i < b.length; i++) if (b[i] !== 0) zeros = false;
    if (!zeros) throw new T38Error(`IFP packet has ${b.length - r.end} unexpected trailing octet(s)`);
  }
  return r.packet;
}

/** Encode one IFP packet (tests, tools). */
export function encodeIfp(pkt: IfpPacket, version: IfpVersion = 1): Uint8Array {
  const out: number[] = [];
  if (pkt.kind === 'indicator') {
    const v = T38_INDICATORS.indexOf(pkt.indicator);
    if (v < 0) throw new T38Error(`unknown indicator ${pkt.indicator}`);
    if (v < ROOT_INDICATORS) out.push(v << 1);
    else {
      if (version === 0) throw new T38Error(`${pkt.indicator} does not exist in T.38 (1998)`);
      const e = v - ROOT_INDICATORS;
      out.push(0x20 | (e >> 2), (e << 6) & 0xc0);
    }
    return Uint8Array.from(out);
  }
  const v = T38_DATA_TYPES.indexOf(pkt.dataType);
  if (v < 0) throw new T38Error(`unknown data type ${pkt.dataType}`);
  const present = pkt.fields.length > 0 ? 0x80 : 0;
  if (v < ROOT_DATA_TYPES) out.push(present | 0x40 | (v << 1));
  else {
    if (version === 0) throw new T38Error(`${pkt.dataType} does not exist in T.38 (1998)`);
    const e = v - ROOT_DATA_TYPES;
    out.push(present | 0x60 | (e >> 2), (e << 6) & 0xc0);
  }
  if (!present) return Uint8Array.from(out);
  writeLength(out, pkt.fields.length);
  let half = false; // version 0: the previous field left the low nibble of out's last octet free
  for (const f of pkt.fields) {
    const ft = T38_FIELD_TYPES.indexOf(f.type);
    if (ft < 0) throw new T38Error(`unknown field type ${f.type}`);
    const hasData = f.data.length > 0;
    if (f.data.length > 65536) throw new T38Error('field data longer than 65536 octets');
    if (version === 0) {
      if (ft >= ROOT_FIELD_TYPES) throw new T38Error(`${f.type} does not exist in T.38 (1998)`);
      const nibble = (hasData ? 8 : 0) | ft;
      if (half) { out[out.length - 1]! |= nibble; half = false; } else { out.push(nibble << 4); half = !hasData; }
    } else if (ft < ROOT_FIELD_TYPES) {
      out.push((hasData ? 0x80 : 0) | (ft << 3));
    } else {
      const e = ft - ROOT_FIELD_TYPES;
      out.push((hasData ? 0x80 : 0) | 0x40 | (e >> 2), (e << 6) & 0xc0);
    }
    if (hasData) {
      out.push(((f.data.length - 1) >> 8) & 0xff, (f.data.length - 1) & 0xff);
      for (const x of f.data) out.push(x);
    }
  }
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------------------------
// UDPTL.

export interface UdptlFec { span: number; entries: number; parity: Uint8Array[] }

export interface UdptlPacket {
  seq: number;
  primary: Uint8Array;
  /** Redundant copies of earlier IFPs, newest first (seq-1, seq-2, …). */
  secondary?: Uint8Array[];
  fec?: UdptlFec;
}

/** Parse a UDPTL datagram. Throws T38Error when malformed. */
export function parseUdptl(b: Uint8Array): UdptlPacket {
  if (b.length < 4) throw new T38Error('UDPTL packet too short');
  const seq = (b[0]! << 8) | b[1]!;
  const [primary, p0] = readOctets(b, 2);
  if (p0 >= b.length) throw new T38Error('UDPTL packet has no error-recovery part');
  let p = p0 + 1;
  if ((b[p0]! & 0x80) === 0) {
    const secondary: Uint8Array[] = [];
    for (let more = true; more;) {
      const [n, q, frag] = readLength(b, p);
      p = q; more = frag;
      for (let i = 0; i < n; i++) {
        const [ifp, r] = readOctets(b, p);
        secondary.push(ifp);
        p = r;
      }
    }
    if (p !== b.length) throw new T38Error('UDPTL packet has trailing octets');
    return { seq, primary, secondary };
  }
  // fec-npackets: an unconstrained INTEGER, i.e. a length octet then the value.
  const [ilen, q0] = readLength(b, p);
  if (ilen < 1 || ilen > 2 || q0 + ilen > b.length) throw new T38Error('UDPTL FEC span is malformed');
  let span = 0;
  for (let i = 0; i < ilen; i++) span = (span << 8) | b[q0 + i]!;
  p = q0 + ilen;
  const parity: Uint8Array[] = [];
  for (let more = true; more;) {
    const [n, q, frag] = readLength(b, p);
    p = q; more = frag;
    for (let i = 0; i < n; i++) {
      const [d, r] = readOctets(b, p);
      parity.push(d);
      p = r;
    }
  }
  if (p !== b.length) throw new T38Error('UDPTL packet has trailing octets');
  return { seq, primary, fec: { span, entries: parity.length, parity } };
}

/** Encode a UDPTL datagram (tests, tools). Without secondary or fec, an empty redundancy list. */
export function encodeUdptl(pkt: UdptlPacket): Uint8Array {
  const out: number[] = [(pkt.seq >> 8) & 0xff, pkt.seq & 0xff];
  writeOctets(out, pkt.primary);
  if (pkt.fec) {
    out.push(0x80, 1, pkt.fec.span & 0xff);
    writeLength(out, pkt.fec.parity.length);
    for (const d of pkt.fec.parity) writeOctets(out, d);
  } else {
    const sec = pkt.secondary ?? [];
    out.push(0x00);
    writeLength(out, sec.length);
    for (const d of sec) writeOctets(out, d);
  }
  return Uint8Array.from(out);
}

/** XOR parity over IFPs, as long as the longest (shorter ones count as zero padded). */
export function udptlParity(ifps: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(ifps.reduce((m, x) => Math.max(m, x.length), 0));
  for (const x of ifps) for (let i = 0; i < x.length; i++) out[i]! ^= x[i]!;
  return out;
}

/** FEC whose span x entries exceeds this is taken as damage (real ones cover a few packets). */
const MAX_FEC_REACH = 256;

/** The sequence numbers (extended, relative) parity `m` of packet `x` covers. */
export function fecCoverage(x: number, m: number, span: number, entries: number): number[] {
  const limit = x + m;
  const out: number[] = [];
  for (let k = limit - span * entries; k < limit; k += entries) out.push(k);
  return out;
}

export interface RecoveredIfp {
  /** Extended sequence number (continues past 65535). */
  seq: number;
  /** Arrival time of the datagram that delivered it (for recovered ones: the rescuer). */
  time: number;
  ifp: Uint8Array;
  how: 'primary' | 'redundancy' | 'fec';
}

export interface UdptlRecovery {
  ifps: RecoveredIfp[];
  /** Sequence numbers nothing could supply. */
  missing: number[];
  duplicates: number;
  /** Datagrams that did not parse as UDPTL. */
  malformed: number;
  /** Times the sequence numbers jumped far (a new session on the same ports). */
  restarts: number;
}

/** Sequence steps beyond these (backwards / forwards) mean a new session, not loss or reordering. */
const RESTART_BACK = 64;
const RESTART_AHEAD = 2000;

/**
 * Lay out one direction's UDPTL datagrams by sequence number and repair the holes from
 * redundancy and FEC. Input in arrival order.
 */
export function recoverUdptl(datagrams: { time: number; payload: Uint8Array }[]): UdptlRecovery {
  const got = new Map<number, RecoveredIfp>();
  const fecs: { x: number; time: number; fec: UdptlFec }[] = [];
  const secs: { x: number; time: number; sec: Uint8Array[] }[] = [];
  let maxExt = -1, lastSeq = 0, dups = 0, malformed = 0, restarts = 0;
  for (const d of datagrams) {
    let pkt: UdptlPacket;
    try { pkt = parseUdptl(d.payload); } catch { malformed++; continue; }
    const step = ((pkt.seq - lastSeq + 32768) & 0xffff) - 32768;
    let x = maxExt < 0 ? pkt.seq : maxExt + step;
    // A big jump either way is a new T.38 session on the same ports (a second re-INVITE):
    // continue the numbering rather than fold it onto the old one.
    if (maxExt >= 0 && (step < -RESTART_BACK || step > RESTART_AHEAD)) { x = maxExt + 1; restarts++; }
    if (x > maxExt) { maxExt = x; lastSeq = pkt.seq; }
    if (got.has(x)) { dups++; } else got.set(x, { seq: x, time: d.time, ifp: pkt.primary, how: 'primary' });
    if (pkt.secondary?.length) secs.push({ x, time: d.time, sec: pkt.secondary });
    if (pkt.fec && pkt.fec.entries > 0 && pkt.fec.span > 0) fecs.push({ x, time: d.time, fec: pkt.fec });
  }
  if (got.size === 0) return { ifps: [], missing: [], duplicates: dups, malformed, restarts };
  let first = Infinity, last = -Infinity;
  for (const k of got.keys()) { if (k < first) first = k; if (k > last) last = k; }
  for (const s of secs) {
    s.sec.forEach((ifp, i) => {
      const k = s.x - 1 - i;
      if (k >= first && !got.has(k)) got.set(k, { seq: k, time: s.time, ifp, how: 'redundancy' });
    });
  }
  const holes: number[] = [];
  if (last - first < 1_000_000) for (let k = first; k <= last; k++) if (!got.has(k)) holes.push(k);
  // FEC: for each hole, the parities able to cover it sit in the next span*entries packets;
  // one with no other hole rebuilds it. Repeat while that repairs something (a repair can
  // leave another parity with a single hole).
  const fecAt = new Map<number, { x: number; time: number; fec: UdptlFec }>();
  let reach = 0;
  for (const f of fecs) {
    const r = f.fec.span * f.fec.entries;
    if (r > MAX_FEC_REACH || fecAt.has(f.x)) continue; // nonsense or repeated: ignore
    fecAt.set(f.x, f);
    reach = Math.max(reach, r);
  }
  for (let progress = fecAt.size > 0; progress;) {
    progress = false;
    for (const h of holes) {
      if (got.has(h)) continue;
      for (let x = h + 1; x <= h + reach && !got.has(h); x++) {
        const f = fecAt.get(x);
        if (!f) continue;
        const { span, entries, parity } = f.fec;
        for (let m = 0; m < entries; m++) {
          const back = x + m - h; // h is covered when it is a whole number of strides back, within span
          if (back <= 0 || back % entries !== 0 || back > span * entries) continue;
          const cover = fecCoverage(x, m, span, entries);
          if (cover.some((k) => k !== h && !got.has(k))) continue;
          const rebuilt = udptlParity([parity[m]!, ...cover.filter((k) => k !== h).map((k) => got.get(k)!.ifp)]);
          got.set(h, { seq: h, time: f.time, ifp: rebuilt, how: 'fec' });
          progress = true;
          break;
        }
      }
    }
  }
  const ifps = [...got.values()].sort((a, b) => a.seq - b.seq);
  const missing = holes.filter((h) => !got.has(h));
  return { ifps, missing, duplicates: dups, malformed, restarts };
}

/** True when a datagram looks like UDPTL carrying a valid IFP (for stream discovery). */
export function looksLikeUdptl(b: Uint8Array): boolean {
  try {
    const u = parseUdptl(b);
    try { parseIfp(u.primary, 1); } catch { parseIfp(u.primary, 0); }
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// From IFPs to the story.

const REVERSE = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let r = 0;
  for (let b = 0; b < 8; b++) if (i & (1 << b)) r |= 0x80 >> b;
  REVERSE[i] = r;
}

/** Reverse the bit order of each octet (T.38 carries the first line bit in the MSB). */
export function bitReverse(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = REVERSE[src[i]!]!;
  return out;
}

export interface T38Event {
  /** Seconds on the capture's timeline. */
  t: number;
  /** "ip:port→ip:port" of the UDPTL flow. */
  direction: string;
  seq: number;
  kind: 'indicator' | 'data' | 'missing' | 'bad-packet';
  indicator?: T38Indicator;
  dataType?: T38DataType;
  fields?: { type: T38FieldType; length: number }[];
  /** For 'missing': how many IFPs were lost; for 'bad-packet': why it failed. */
  count?: number;
  reason?: string;
  /** How the IFP arrived when not as a primary. */
  recovered?: 'redundancy' | 'fec';
}

export interface T38HdlcFrame {
  t: number;
  direction: string;
  /** T.38 data type of the carrier: 'v21' for control frames, a fast modem for ECM. */
  dataType: T38DataType;
  /** Frame octets as T.30 defines them (0xFF, control, FCF, …), without the FCS. */
  bytes: Uint8Array;
  /** The sender's verdict (hdlc-fcs-OK) and nothing missing in between. */
  fcsOk: boolean;
  /** Why fcsOk is false, when it is: 'fcs-bad', 'data-missing', 'no-fcs'. */
  problem?: 'fcs-bad' | 'data-missing' | 'no-fcs';
}

export interface T38PageData {
  /** 'tcf' when the burst follows a DCS from the same side (the training check), else 'page'. */
  kind: 'tcf' | 'page';
  t: number;
  /** Time of the last octets. */
  tEnd: number;
  direction: string;
  dataType: T38DataType;
  /** Non-ECM T.4 data in line order, LSB first (bit 0 of octet 0 is the first bit sent). */
  bytes: Uint8Array;
  /** IFP packets lost inside the burst (rows there will be damaged). */
  missingPackets: number;
}

/** Turns one direction's IFPs (in sequence order) into events, HDLC frames and page data. */
export class T38Assembler {
  readonly events: T38Event[] = [];
  readonly hdlcFrames: T38HdlcFrame[] = [];
  readonly pageData: T38PageData[] = [];
  private frame: number[] = [];
  private frameT = 0;
  private frameType: T38DataType = 'v21';
  private frameMissing = false;
  private page: Uint8Array[] = [];
  private pageT = 0;
  private pageEnd = 0;
  private pageType: T38DataType = 'v21';
  private pageMissing = 0;
  private afterDcs = false; // the last frame this side sent was DCS: its next non-ECM burst is TCF

  constructor(readonly direction: string) {}

  /** IFPs were lost here: whatever is being assembled is damaged. */
  missing(t: number, seq: number, count: number): void {
    this.events.push({ t, direction: this.direction, seq, kind: 'missing', count });
    if (this.frame.length) this.frameMissing = true;
    if (this.page.length) this.pageMissing += count;
  }

  badPacket(t: number, seq: number, reason: string): void {
    this.events.push({ t, direction: this.direction, seq, kind: 'bad-packet', reason });
    if (this.frame.length) this.frameMissing = true;
    if (this.page.length) this.pageMissing++;
  }

  push(t: number, seq: number, pkt: IfpPacket, recovered?: 'redundancy' | 'fec'): void {
    const ev: T38Event = { t, direction: this.direction, seq, kind: pkt.kind };
    if (recovered) ev.recovered = recovered;
    if (pkt.kind === 'indicator') {
      ev.indicator = pkt.indicator;
      this.events.push(ev);
      // A new signal: anything half-assembled ends here.
      this.endFrame(t, 'no-fcs');
      this.endPage();
      return;
    }
    ev.dataType = pkt.dataType;
    ev.fields = pkt.fields.map((f) => ({ type: f.type, length: f.data.length }));
    this.events.push(ev);
    for (const f of pkt.fields) this.field(t, pkt.dataType, f);
  }

  private field(t: number, dataType: T38DataType, f: IfpField): void {
    switch (f.type) {
      case 'hdlc-data':
        this.addHdlc(t, dataType, f.data);
        break;
      case 'hdlc-fcs-OK':
      case 'hdlc-fcs-BAD':
      case 'hdlc-fcs-OK-sig-end':
      case 'hdlc-fcs-BAD-sig-end': {
        // Some senders (Cisco, Commetrex) put the frame's last octets in this field.
        this.addHdlc(t, dataType, f.data);
        const ok = f.type === 'hdlc-fcs-OK' || f.type === 'hdlc-fcs-OK-sig-end';
        this.endFrame(t, ok ? undefined : 'fcs-bad');
        break;
      }
      case 'hdlc-sig-end':
        this.endFrame(t, 'no-fcs');
        break;
      case 't4-non-ecm-data':
      case 't4-non-ecm-sig-end':
        if (f.data.length) {
          if (!this.page.length) { this.pageT = t; this.pageType = dataType; }
          this.page.push(bitReverse(f.data));
          this.pageEnd = t;
        }
        if (f.type === 't4-non-ecm-sig-end') this.endPage();
        break;
      default:
        // V.8/V.34 messages (cm, jm, ci, v34rate): recorded in the event only.
        break;
    }
  }

  private addHdlc(t: number, dataType: T38DataType, data: Uint8Array): void {
    if (!data.length) return;
    if (!this.frame.length) { this.frameT = t; this.frameType = dataType; }
    for (const x of data) this.frame.push(REVERSE[x]!);
  }

  private endFrame(_t: number, problem: T38HdlcFrame['problem']): void {
    if (!this.frame.length) { this.frameMissing = false; return; }
    const p = this.frameMissing ? 'data-missing' : problem;
    const fr: T38HdlcFrame = { t: this.frameT, direction: this.direction, dataType: this.frameType, bytes: Uint8Array.from(this.frame), fcsOk: !p };
    if (fr.bytes.length >= 3) this.afterDcs = (fr.bytes[2]! & 0xfe) === 0x82; // DCS, with or without the X bit
    if (p) fr.problem = p;
    this.hdlcFrames.push(fr);
    this.frame = [];
    this.frameMissing = false;
  }

  private endPage(): void {
    if (!this.page.length) { this.pageMissing = 0; return; }
    const total = this.page.reduce((s, x) => s + x.length, 0);
    const bytes = new Uint8Array(total);
    let o = 0;
    for (const x of this.page) { bytes.set(x, o); o += x.length; }
    const kind = this.afterDcs ? 'tcf' : 'page';
    this.afterDcs = false;
    this.pageData.push({ kind, t: this.pageT, tEnd: this.pageEnd, direction: this.direction, dataType: this.pageType, bytes, missingPackets: this.pageMissing });
    this.page = [];
    this.pageMissing = 0;
  }

  /** End of the capture: flush what is half done. */
  finish(t: number): void {
    this.endFrame(t, 'no-fcs');
    this.endPage();
  }
}

/**
 * Which IFP encoding a direction uses: the one under which more of its IFPs parse cleanly
 * (ties go to the corrected encoding, which most equipment sends).
 */
export function detectIfpVersion(ifps: Uint8Array[]): IfpVersion {
  let ok0 = 0, ok1 = 0;
  for (const b of ifps) {
    try { parseIfp(b, 1); ok1++; } catch { /* counted as a failure */ }
    try { parseIfp(b, 0); ok0++; } catch { /* counted as a failure */ }
  }
  return ok0 > ok1 ? 0 : 1;
}

export interface T38Direction {
  direction: string;
  version: IfpVersion;
  recovery: UdptlRecovery;
  assembler: T38Assembler;
}

/**
 * Decode one direction of a UDPTL flow: recover, pick the IFP encoding, assemble. `t0` is the
 * capture's first packet time; event times are seconds from it.
 */
export function decodeT38Direction(direction: string, datagrams: { time: number; payload: Uint8Array }[], t0: number): T38Direction {
  const recovery = recoverUdptl(datagrams);
  const version = detectIfpVersion(recovery.ifps.map((r) => r.ifp));
  const asm = new T38Assembler(direction);
  let expect = recovery.ifps.length ? recovery.ifps[0]!.seq : 0;
  let lastT = 0;
  for (const r of recovery.ifps) {
    const t = r.time - t0;
    if (r.seq > expect) asm.missing(t, expect, r.seq - expect);
    expect = r.seq + 1;
    lastT = Math.max(lastT, t);
    let pkt: IfpPacket;
    try {
      pkt = parseIfp(r.ifp, version, r.how === 'fec');
    } catch (e) {
      asm.badPacket(t, r.seq, (e as Error).message);
      continue;
    }
    asm.push(t, r.seq, pkt, r.how === 'primary' ? undefined : r.how);
  }
  asm.finish(lastT);
  return { direction, version, recovery, assembler: asm };
}
