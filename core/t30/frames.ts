/**
 * Whole T.30 HDLC frames (no flags, no FCS): address 0xFF, control 0x03 (more frames follow) or
 * 0x13 (final frame of the message), FCF, then the FIF. `encodeFrame` builds one, `parseFrame`
 * splits any byte string without throwing, and `describeFrame` puts it into words the way the
 * seed 003 analysis report does (DIS bits, reversed identities, "ASCII string: ..." in NSF).
 */
import { type FcfName, type FcfInfo, fcfCode, lookupFcf, postMessageCode } from './fcf';
import { describeDisFif, parseDcs, parseDis } from './dis';
import { decodeIdent } from './ident';
import { parseNsf } from './nsf';

export const ADDRESS = 0xff;
export const CONTROL_NOT_FINAL = 0x03;
export const CONTROL_FINAL = 0x13;

export interface ParsedFrame {
  /** The frame as given. */
  bytes: Uint8Array;
  address: number;
  control: number;
  addressOk: boolean;
  controlOk: boolean;
  /** Control field says this is the last frame of the message. */
  final: boolean;
  fcf: number;
  /** Null when the FCF is not one T.30 defines (or the frame is too short to have one). */
  info: FcfInfo | null;
  /** Short name ("DIS", "FCF 0x37", "runt"). */
  name: string;
  /** From the X bit or the frame type: true = sent by the calling terminal, null = unknown. */
  fromCaller: boolean | null;
  fif: Uint8Array;
}

export interface EncodeOptions {
  /** Control 0x13 (default) or 0x03. */
  final?: boolean;
  /** Set the X bit (frames from the calling terminal). */
  fromCaller?: boolean;
}

/** Build a frame: address, control, FCF (with X bit as asked), FIF. */
export function encodeFrame(name: FcfName, fif: ArrayLike<number> = [], opts: EncodeOptions = {}): Uint8Array {
  const out = new Uint8Array(3 + fif.length);
  out[0] = ADDRESS;
  out[1] = opts.final === false ? CONTROL_NOT_FINAL : CONTROL_FINAL;
  out[2] = fcfCode(name, opts.fromCaller ?? false);
  out.set(fif, 3);
  return out;
}

const CALLED_TO_CALLING = new Set<FcfName>(['DIS', 'CSI', 'NSF']);

/** Split a frame into its fields. Never throws; frames shorter than 3 octets come back named "runt". */
export function parseFrame(bytes: Uint8Array): ParsedFrame {
  const address = bytes.length > 0 ? bytes[0]! : -1;
  const control = bytes.length > 1 ? bytes[1]! : -1;
  const fcf = bytes.length > 2 ? bytes[2]! : -1;
  const info = fcf >= 0 ? lookupFcf(fcf) : null;
  let fromCaller: boolean | null = null;
  if (info) {
    if (info.x !== null) fromCaller = info.x;
    else if (info.name !== 'FCD' && info.name !== 'RCP') fromCaller = !CALLED_TO_CALLING.has(info.name);
  }
  return {
    bytes,
    address,
    control,
    addressOk: address === ADDRESS,
    controlOk: control === CONTROL_FINAL || control === CONTROL_NOT_FINAL,
    final: control === CONTROL_FINAL,
    fcf,
    info,
    name: info ? info.name : fcf < 0 ? 'runt' : `FCF 0x${fcf.toString(16).padStart(2, '0')}`,
    fromCaller,
    fif: bytes.slice(Math.min(3, bytes.length)),
  };
}

export interface FrameDescription {
  name: string;
  longName: string;
  final: boolean;
  /** Lines in words: validity of address/control, direction, each decoded field. */
  fields: string[];
}

function hex(b: ArrayLike<number>, max = 64): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(b.length, max); i++) parts.push(b[i]!.toString(16).padStart(2, '0'));
  return parts.join(' ') + (b.length > max ? ` ... (${b.length} octets)` : '');
}

function bitsLine(b: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += (b >> i) & 1; // bit 1 (first on the line) first, like Table 2
  return `Bits 12345678 : ${s}`;
}

/** Frame numbers whose bit is set in a PPR's 256-bit map. */
export function pprFrameNumbers(fif: Uint8Array): number[] {
  const out: number[] = [];
  for (let n = 0; n < Math.min(fif.length, 32) * 8; n++) if ((fif[n >> 3]! >> (n & 7)) & 1) out.push(n);
  return out;
}

function ranges(nums: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    parts.push(i === j ? `${nums[i]}` : `${nums[i]}-${nums[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Describe a frame (without FCS) in words. Never throws. */
export function describeFrame(bytes: Uint8Array): FrameDescription {
  const f = parseFrame(bytes);
  const fields: string[] = [];
  fields.push(f.addressOk ? 'Valid FAX address' : `Invalid address 0x${(f.address & 0xff).toString(16).padStart(2, '0')}`);
  if (bytes.length > 1) {
    fields.push(f.controlOk ? `Valid FAX control byte - ${f.final ? 'Final' : 'Non-final'} frame` : `Invalid control byte 0x${f.control.toString(16).padStart(2, '0')}`);
  }
  if (!f.info) {
    if (bytes.length > 2) fields.push(`Unknown FCF 0x${f.fcf.toString(16).padStart(2, '0')}`);
    if (f.fif.length) fields.push(`FIF: ${hex(f.fif)}`);
    return { name: f.name, longName: f.name === 'runt' ? 'Frame too short' : 'Unknown frame type', final: f.final, fields };
  }
  const name = f.info.name;
  if (f.fromCaller !== null) fields.push(f.fromCaller ? 'Calling to called terminal' : 'Called to calling terminal');
  const fif = f.fif;
  switch (name) {
    case 'DIS': case 'DTC': case 'DCS':
      fields.push('Table 2/T.30 translation:', ...describeDisFif(fif, name).map((l) => '  ' + l));
      break;
    case 'CSI': case 'TSI': case 'CIG':
      fields.push(`Identification number: ${decodeIdent(fif)}`);
      break;
    case 'SUB': case 'SEP': case 'PSA':
      fields.push(`Subaddress: ${decodeIdent(fif)}`);
      break;
    case 'PWD': case 'SID':
      fields.push(`Password: ${decodeIdent(fif)}`);
      break;
    case 'NSF': case 'NSC': case 'NSS': {
      const n = parseNsf(fif);
      fields.push(n.country ? `T.35 country: ${n.country} (code 0x${n.countryCode.toString(16).padStart(2, '0')}${n.countryReversed ? ', bit-reversed' : ''})` : `T.35 country code 0x${n.countryCode.toString(16).padStart(2, '0')} (unknown)`);
      if (n.provider.length) fields.push(`Terminal provider code: ${hex(n.provider)}`);
      if (n.data.length) {
        fields.push('Control bits for non-standard modes:');
        for (const b of n.data.slice(0, 64)) fields.push('  ' + bitsLine(b));
        if (n.data.length > 64) fields.push(`  ... ${n.data.length - 64} more octets`);
      }
      for (const s of n.strings) fields.push(`ASCII string: ${s}`);
      break;
    }
    case 'PPS': case 'EOR': {
      const code = fif.length > 0 ? postMessageCode(fif[0]!) : null;
      fields.push(`Post-message command: ${code ?? (fif.length ? `unknown 0x${fif[0]!.toString(16)}` : 'missing')}`);
      if (name === 'PPS' && fif.length >= 4) {
        fields.push(`Page ${fif[1]}, block ${fif[2]}, ${fif[3]! + 1} frames in the block`);
      } else if (name === 'PPS') fields.push(`Short PPS field (${fif.length} octets, 4 expected)`);
      break;
    }
    case 'PPR': {
      const nums = pprFrameNumbers(fif);
      fields.push(`Frames to resend (${nums.length}): ${nums.length ? ranges(nums) : 'none'}`);
      if (fif.length !== 32) fields.push(`Map is ${fif.length} octets, 32 expected`);
      break;
    }
    case 'CTC': {
      // CTC carries DCS bits 1-16; bits 11-14 give the rate to continue at.
      fields.push(...describeDisFif(fif, 'DCS').slice(0, 1));
      break;
    }
    case 'FCD':
      fields.push(fif.length ? `Frame number ${fif[0]}, ${fif.length - 1} octets of image data` : 'Missing frame number');
      break;
    default:
      if (fif.length) fields.push(`FIF: ${hex(fif)}`);
  }
  return { name, longName: f.info.longName, final: f.final, fields };
}

/** Structured fields of a frame for JSON reports (what describeFrame says, in values). */
export function frameFields(bytes: Uint8Array): Record<string, unknown> {
  const f = parseFrame(bytes);
  const name = f.info?.name;
  const out: Record<string, unknown> = {};
  if (f.fromCaller !== null) out.direction = f.fromCaller ? 'calling->called' : 'called->calling';
  switch (name) {
    case 'CSI': case 'TSI': case 'CIG':
      out.ident = decodeIdent(f.fif);
      break;
    case 'DCS': {
      const d = parseDcs(f.fif);
      Object.assign(out, { modem: d.modem, bitRate: d.bitRate, fine: d.fine, ecm: d.ecm,
        coding: d.t6 ? 'T.6' : d.twoD ? 'T.4 2-D' : 'T.4 1-D', width: d.width, length: d.length, minScanTime: d.minScanTime });
      break;
    }
    case 'DIS': case 'DTC': {
      const d = parseDis(f.fif);
      Object.assign(out, { modems: d.modems, fine: d.fine, twoD: d.twoD, t6: d.t6, ecm: d.ecm, maxWidth: d.maxWidth, maxLength: d.maxLength });
      break;
    }
    case 'PPS': case 'EOR':
      if (f.fif.length) out.postMessage = postMessageCode(f.fif[0]!);
      if (name === 'PPS' && f.fif.length >= 4) Object.assign(out, { page: f.fif[1], block: f.fif[2], frames: f.fif[3]! + 1 });
      break;
    case 'PPR':
      out.resend = pprFrameNumbers(f.fif);
      break;
    case 'FCD':
      if (f.fif.length) out.frameNumber = f.fif[0];
      break;
    default:
      break;
  }
  out.text = describeFrame(bytes).fields;
  return out;
}
