/**
 * T.30 facsimile control field (FCF) codes, as the octet appears in a received frame (first bit on
 * the line = LSB, so T.30's "0000 0001" DIS is 0x80). For most frames the LSB is the X bit: 1 in
 * frames from the calling terminal, 0 from the called one. The initial identification frames (DIS,
 * CSI, NSF), the command-to-send frames (DTC, CIG, NSC, PWD, SEP, PSA, CIA, ISP) and a few others
 * have no X bit: their LSB is part of the code. `lookupFcf` handles both kinds.
 */

export type FcfName =
  | 'DIS' | 'CSI' | 'NSF' | 'DTC' | 'CIG' | 'NSC' | 'PWD' | 'SEP' | 'PSA' | 'CIA' | 'ISP'
  | 'DES' | 'DEC' | 'DER' | 'TK' | 'RK'
  | 'DCS' | 'TSI' | 'NSS' | 'SUB' | 'SID' | 'CTC' | 'TSA' | 'IRA'
  | 'CFR' | 'FTT' | 'CTR' | 'CSA'
  | 'EOM' | 'MPS' | 'EOP' | 'PRI-EOM' | 'PRI-MPS' | 'PRI-EOP' | 'EOS' | 'PPS' | 'EOR' | 'RR'
  | 'MCF' | 'RTP' | 'RTN' | 'PIP' | 'PIN' | 'PPR' | 'RNR' | 'ERR' | 'FDM'
  | 'DCN' | 'CRP' | 'FNV' | 'TNR' | 'TR' | 'DNK' | 'PID'
  | 'FCD' | 'RCP';

/** Codes with the X bit clear (OR in 1 for frames from the calling terminal where it applies). */
export const FCF = {
  // Initial identification (called -> calling), no X bit.
  DIS: 0x80, CSI: 0x40, NSF: 0x20,
  // Command to send (calling terminal that wants to receive), no X bit.
  DTC: 0x81, CIG: 0x41, NSC: 0x21, PWD: 0xc1, SEP: 0xa1, PSA: 0x61, CIA: 0xe1, ISP: 0x11,
  DES: 0xa0, DEC: 0x93, DER: 0x53, TK: 0x4b, RK: 0x4a,
  // Command to receive.
  DCS: 0x82, TSI: 0x42, NSS: 0x22, SUB: 0xc2, SID: 0xa2, CTC: 0x12, TSA: 0x62, IRA: 0xe2,
  // Pre-message responses.
  CFR: 0x84, FTT: 0x44, CTR: 0xc4, CSA: 0x24,
  // Post-message commands.
  EOM: 0x8e, MPS: 0x4e, EOP: 0x2e, 'PRI-EOM': 0x9e, 'PRI-MPS': 0x5e, 'PRI-EOP': 0x3e, EOS: 0x1e,
  PPS: 0xbe, EOR: 0xce, RR: 0x6e,
  // Post-message responses.
  MCF: 0x8c, RTP: 0xcc, RTN: 0x4c, PIP: 0xac, PIN: 0x2c, PPR: 0xbc, RNR: 0xec, ERR: 0x1c, FDM: 0xfc,
  // Other line control.
  DCN: 0xfa, CRP: 0x1a, FNV: 0xca, TNR: 0xea, TR: 0x6a, DNK: 0x9a, PID: 0x6c,
  // T.4 Annex A ECM image frames (carried by the fast modem; no X bit).
  FCD: 0x06, RCP: 0x86,
} as const satisfies Record<FcfName, number>;

/** The frames whose LSB is part of the code rather than the X bit. */
const NO_X_BIT: ReadonlySet<FcfName> = new Set<FcfName>([
  'DIS', 'CSI', 'NSF', 'DTC', 'CIG', 'NSC', 'PWD', 'SEP', 'PSA', 'CIA', 'ISP', 'DES', 'DEC', 'DER', 'TK', 'RK',
  'FCD', 'RCP',
]);

const LONG_NAMES: Record<FcfName, string> = {
  DIS: 'Digital identification signal', CSI: 'Called subscriber identification',
  NSF: 'Non-standard facilities', DTC: 'Digital transmit command',
  CIG: 'Calling subscriber identification', NSC: 'Non-standard facilities command',
  PWD: 'Password (polling)', SEP: 'Selective polling', PSA: 'Polled subaddress',
  CIA: 'Calling subscriber internet address', ISP: 'Internet selective polling address',
  DES: 'Digital extended signal', DEC: 'Digital extended command', DER: 'Digital extended request',
  TK: 'Transmitter keys', RK: 'Receiver keys',
  DCS: 'Digital command signal', TSI: 'Transmitting subscriber identification',
  NSS: 'Non-standard facilities set-up', SUB: 'Subaddress', SID: 'Sender identification / password',
  CTC: 'Continue to correct', TSA: 'Transmitting subscriber internet address',
  IRA: 'Internet routing address', CFR: 'Confirmation to receive', FTT: 'Failure to train',
  CTR: 'Response for continue to correct', CSA: 'Called subscriber internet address',
  EOM: 'End of message', MPS: 'Multipage signal', EOP: 'End of procedure',
  'PRI-EOM': 'Procedure interrupt - end of message', 'PRI-MPS': 'Procedure interrupt - multipage signal',
  'PRI-EOP': 'Procedure interrupt - end of procedure', EOS: 'End of selection',
  PPS: 'Partial page signal', EOR: 'End of retransmission', RR: 'Receive ready',
  MCF: 'Message confirmation', RTP: 'Retrain positive', RTN: 'Retrain negative',
  PIP: 'Procedure interrupt positive', PIN: 'Procedure interrupt negative',
  PPR: 'Partial page request', RNR: 'Receive not ready', ERR: 'Response for end of retransmission',
  FDM: 'File diagnostics message', DCN: 'Disconnect', CRP: 'Command repeat', FNV: 'Field not valid',
  TNR: 'Transmit not ready', TR: 'Transmit ready', DNK: 'Digital not acknowledge',
  PID: 'Procedure interrupt disconnect',
  FCD: 'Facsimile coded data', RCP: 'Return to control for partial page',
};

const BY_CODE = new Map<number, FcfName>();
for (const [name, code] of Object.entries(FCF) as [FcfName, number][]) {
  if (NO_X_BIT.has(name)) BY_CODE.set(code, name);
}
const BY_MASKED = new Map<number, FcfName>();
for (const [name, code] of Object.entries(FCF) as [FcfName, number][]) {
  if (!NO_X_BIT.has(name)) BY_MASKED.set(code, name);
}

export interface FcfInfo {
  name: FcfName;
  longName: string;
  /** The X bit when the frame has one (true = from the calling terminal), else null. */
  x: boolean | null;
}

/** Name an FCF octet (with or without its X bit); null for codes T.30 does not define. */
export function lookupFcf(fcf: number): FcfInfo | null {
  const fixed = BY_CODE.get(fcf & 0xff);
  if (fixed) return { name: fixed, longName: LONG_NAMES[fixed], x: null };
  const masked = BY_MASKED.get(fcf & 0xfe);
  if (masked) return { name: masked, longName: LONG_NAMES[masked], x: (fcf & 1) === 1 };
  return null;
}

/** Short name of an FCF octet, or "FCF 0xNN" for an unknown one. */
export function fcfName(fcf: number): string {
  return lookupFcf(fcf)?.name ?? `FCF 0x${(fcf & 0xff).toString(16).padStart(2, '0')}`;
}

export function fcfLongName(name: FcfName): string {
  return LONG_NAMES[name];
}

/** True when this frame type carries the X bit. */
export function hasXBit(name: FcfName): boolean {
  return !NO_X_BIT.has(name);
}

/** The FCF octet for `name`, with the X bit set when `fromCaller` (ignored for frames without one). */
export function fcfCode(name: FcfName, fromCaller = false): number {
  const c = FCF[name];
  return hasXBit(name) && fromCaller ? c | 1 : c;
}

/**
 * Post-message command carried as the first FIF octet ("FCF2") of PPS and EOR: NULL (a partial
 * page, more of this page follows), EOM, MPS, EOP, PRI-EOM, PRI-MPS, PRI-EOP, EOS.
 */
export type PostMessageCode = 'NULL' | 'EOM' | 'MPS' | 'EOP' | 'PRI-EOM' | 'PRI-MPS' | 'PRI-EOP' | 'EOS';

const POST_MESSAGE: PostMessageCode[] = ['EOM', 'MPS', 'EOP', 'PRI-EOM', 'PRI-MPS', 'PRI-EOP', 'EOS'];

/** Decode a PPS/EOR sub-code (X bit ignored); null if it is none of them. */
export function postMessageCode(fcf2: number): PostMessageCode | null {
  if ((fcf2 & 0xfe) === 0) return 'NULL';
  const info = lookupFcf(fcf2);
  if (info && (POST_MESSAGE as string[]).includes(info.name)) return info.name as PostMessageCode;
  return null;
}

/** Encode a PPS/EOR sub-code octet. */
export function postMessageOctet(code: PostMessageCode, fromCaller = false): number {
  if (code === 'NULL') return 0;
  return fcfCode(code, fromCaller);
}
