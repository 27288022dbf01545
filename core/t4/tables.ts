/**
 * T.4 / T.6 code tables as data (T.4 tables 1-4), each entry written as [run length, bit pattern]
 * with the pattern in transmission order, so the table reads like the recommendation.
 * From these the module builds, once at load:
 *   - encode tables: code bits and length per run length (terminating 0..63, make-up 64..2560);
 *   - decode tables: the next 13 bits of the stream -> (code length << 16 | value), value = run
 *     length, or DEC_EOL / DEC_INVALID; a 7-bit table for the 2-D mode codes.
 * Building the decode tables checks that each code set is prefix-free (a typo would throw here).
 */

type CodeTable = ReadonlyArray<readonly [number, string]>;

/** T.4 table 1: white terminating codes, run 0..63. */
export const WHITE_TERMINATING: CodeTable = [
  [0, '00110101'], [1, '000111'], [2, '0111'], [3, '1000'],
  [4, '1011'], [5, '1100'], [6, '1110'], [7, '1111'],
  [8, '10011'], [9, '10100'], [10, '00111'], [11, '01000'],
  [12, '001000'], [13, '000011'], [14, '110100'], [15, '110101'],
  [16, '101010'], [17, '101011'], [18, '0100111'], [19, '0001100'],
  [20, '0001000'], [21, '0010111'], [22, '0000011'], [23, '0000100'],
  [24, '0101000'], [25, '0101011'], [26, '0010011'], [27, '0100100'],
  [28, '0011000'], [29, '00000010'], [30, '00000011'], [31, '00011010'],
  [32, '00011011'], [33, '00010010'], [34, '00010011'], [35, '00010100'],
  [36, '00010101'], [37, '00010110'], [38, '00010111'], [39, '00101000'],
  [40, '00101001'], [41, '00101010'], [42, '00101011'], [43, '00101100'],
  [44, '00101101'], [45, '00000100'], [46, '00000101'], [47, '00001010'],
  [48, '00001011'], [49, '01010010'], [50, '01010011'], [51, '01010100'],
  [52, '01010101'], [53, '00100100'], [54, '00100101'], [55, '01011000'],
  [56, '01011001'], [57, '01011010'], [58, '01011011'], [59, '01001010'],
  [60, '01001011'], [61, '00110010'], [62, '00110011'], [63, '00110100'],
];

/** T.4 table 1: black terminating codes, run 0..63. */
export const BLACK_TERMINATING: CodeTable = [
  [0, '0000110111'], [1, '010'], [2, '11'], [3, '10'],
  [4, '011'], [5, '0011'], [6, '0010'], [7, '00011'],
  [8, '000101'], [9, '000100'], [10, '0000100'], [11, '0000101'],
  [12, '0000111'], [13, '00000100'], [14, '00000111'], [15, '000011000'],
  [16, '0000010111'], [17, '0000011000'], [18, '0000001000'], [19, '00001100111'],
  [20, '00001101000'], [21, '00001101100'], [22, '00000110111'], [23, '00000101000'],
  [24, '00000010111'], [25, '00000011000'], [26, '000011001010'], [27, '000011001011'],
  [28, '000011001100'], [29, '000011001101'], [30, '000001101000'], [31, '000001101001'],
  [32, '000001101010'], [33, '000001101011'], [34, '000011010010'], [35, '000011010011'],
  [36, '000011010100'], [37, '000011010101'], [38, '000011010110'], [39, '000011010111'],
  [40, '000001101100'], [41, '000001101101'], [42, '000011011010'], [43, '000011011011'],
  [44, '000001010100'], [45, '000001010101'], [46, '000001010110'], [47, '000001010111'],
  [48, '000001100100'], [49, '000001100101'], [50, '000001010010'], [51, '000001010011'],
  [52, '000000100100'], [53, '000000110111'], [54, '000000111000'], [55, '000000100111'],
  [56, '000000101000'], [57, '000001011000'], [58, '000001011001'], [59, '000000101011'],
  [60, '000000101100'], [61, '000001011010'], [62, '000001100110'], [63, '000001100111'],
];

/** T.4 table 2: white make-up codes, 64..1728. */
export const WHITE_MAKEUP: CodeTable = [
  [64, '11011'], [128, '10010'], [192, '010111'], [256, '0110111'],
  [320, '00110110'], [384, '00110111'], [448, '01100100'], [512, '01100101'],
  [576, '01101000'], [640, '01100111'], [704, '011001100'], [768, '011001101'],
  [832, '011010010'], [896, '011010011'], [960, '011010100'], [1024, '011010101'],
  [1088, '011010110'], [1152, '011010111'], [1216, '011011000'], [1280, '011011001'],
  [1344, '011011010'], [1408, '011011011'], [1472, '010011000'], [1536, '010011001'],
  [1600, '010011010'], [1664, '011000'], [1728, '010011011'],
];

/** T.4 table 2: black make-up codes, 64..1728. */
export const BLACK_MAKEUP: CodeTable = [
  [64, '0000001111'], [128, '000011001000'], [192, '000011001001'], [256, '000001011011'],
  [320, '000000110011'], [384, '000000110100'], [448, '000000110101'], [512, '0000001101100'],
  [576, '0000001101101'], [640, '0000001001010'], [704, '0000001001011'], [768, '0000001001100'],
  [832, '0000001001101'], [896, '0000001110010'], [960, '0000001110011'], [1024, '0000001110100'],
  [1088, '0000001110101'], [1152, '0000001110110'], [1216, '0000001110111'], [1280, '0000001010010'],
  [1344, '0000001010011'], [1408, '0000001010100'], [1472, '0000001010101'], [1536, '0000001011010'],
  [1600, '0000001011011'], [1664, '0000001100100'], [1728, '0000001100101'],
];

/** T.4 table 3: extended make-up codes 1792..2560, the same for both colours. */
export const EXTENDED_MAKEUP: CodeTable = [
  [1792, '00000001000'], [1856, '00000001100'], [1920, '00000001101'], [1984, '000000010010'],
  [2048, '000000010011'], [2112, '000000010100'], [2176, '000000010101'], [2240, '000000010110'],
  [2304, '000000010111'], [2368, '000000011100'], [2432, '000000011101'], [2496, '000000011110'],
  [2560, '000000011111'],
];

/** End of line: eleven zeros and a one (T.4 4.1.2). */
export const EOL_CODE = '000000000001';

/** 2-D mode identifiers (T.4 table 4). */
export enum Mode {
  Pass = 0,
  Horizontal = 1,
  V0 = 2,
  VR1 = 3,
  VR2 = 4,
  VR3 = 5,
  VL1 = 6,
  VL2 = 7,
  VL3 = 8,
  /** 0000001xxx: extensions (uncompressed mode etc.), which webfax does not accept. */
  Extension = 9,
}

export const MODE_CODES: ReadonlyArray<readonly [Mode, string]> = [
  [Mode.Pass, '0001'],
  [Mode.Horizontal, '001'],
  [Mode.V0, '1'],
  [Mode.VR1, '011'],
  [Mode.VR2, '000011'],
  [Mode.VR3, '0000011'],
  [Mode.VL1, '010'],
  [Mode.VL2, '000010'],
  [Mode.VL3, '0000010'],
  [Mode.Extension, '0000001'],
];

/** Vertical-mode offset a1 - b1 for modes V0..VL3, indexed by Mode. */
export const VERTICAL_DELTA: readonly number[] = [0, 0, 0, 1, 2, 3, -1, -2, -3, 0];

// ---- encode tables --------------------------------------------------------------------------

/** Encode table for one colour: code (as an integer, MSB = first bit sent) and its length. */
export interface RunCodes {
  /** Terminating codes, index = run 0..63. */
  termCode: Uint16Array;
  termLen: Uint8Array;
  /** Make-up codes, index = run / 64 (1..40; 28..40 are the shared extended codes). */
  makeupCode: Uint16Array;
  makeupLen: Uint8Array;
}

function buildRunCodes(term: CodeTable, makeup: CodeTable): RunCodes {
  const rc: RunCodes = {
    termCode: new Uint16Array(64), termLen: new Uint8Array(64),
    makeupCode: new Uint16Array(41), makeupLen: new Uint8Array(41),
  };
  for (const [run, bits] of term) { rc.termCode[run] = parseInt(bits, 2); rc.termLen[run] = bits.length; }
  for (const [run, bits] of [...makeup, ...EXTENDED_MAKEUP]) {
    rc.makeupCode[run / 64] = parseInt(bits, 2);
    rc.makeupLen[run / 64] = bits.length;
  }
  return rc;
}

export const WHITE_CODES = buildRunCodes(WHITE_TERMINATING, WHITE_MAKEUP);
export const BLACK_CODES = buildRunCodes(BLACK_TERMINATING, BLACK_MAKEUP);

/** Mode code bits and lengths, index = Mode. */
export const MODE_CODE = new Uint16Array(10);
export const MODE_LEN = new Uint8Array(10);
for (const [m, bits] of MODE_CODES) { MODE_CODE[m] = parseInt(bits, 2); MODE_LEN[m] = bits.length; }

// ---- decode tables ----------------------------------------------------------------------------

/** Bits looked at per run-code lookup (the longest code, black make-up, has 13). */
export const RUN_LOOKUP_BITS = 13;
/** Bits looked at per mode-code lookup. */
export const MODE_LOOKUP_BITS = 7;
/** Decoded value: an EOL (needs 12 bits; eleven zeros then a one). */
export const DEC_EOL = 0xfffe;
/** Decoded value: no code matches (an error in the data, or a run of zeros that may be fill). */
export const DEC_INVALID = 0xffff;

/**
 * Fill a lookup table of 2^bits entries: every index whose leading bits equal a code maps to
 * (length << 16) | value. Throws if two codes overlap (the table is not prefix-free).
 */
function fillLookup(table: Uint32Array, bits: number, codes: ReadonlyArray<readonly [number, string]>): void {
  table.fill(DEC_INVALID);
  for (const [value, pattern] of codes) {
    const len = pattern.length;
    const first = parseInt(pattern, 2) << (bits - len);
    const count = 1 << (bits - len);
    for (let i = first; i < first + count; i++) {
      if (table[i] !== DEC_INVALID) throw new Error(`t4 tables: code ${pattern} overlaps another`);
      table[i] = (len << 16) | value;
    }
  }
}

function buildRunLookup(term: CodeTable, makeup: CodeTable): Uint32Array {
  const t = new Uint32Array(1 << RUN_LOOKUP_BITS);
  fillLookup(t, RUN_LOOKUP_BITS, [...term, ...makeup, ...EXTENDED_MAKEUP, [DEC_EOL, EOL_CODE]]);
  return t;
}

/** White run lookup: index = next 13 bits. */
export const WHITE_LOOKUP = buildRunLookup(WHITE_TERMINATING, WHITE_MAKEUP);
/** Black run lookup: index = next 13 bits. */
export const BLACK_LOOKUP = buildRunLookup(BLACK_TERMINATING, BLACK_MAKEUP);
/** Mode lookup: index = next 7 bits; 0000000 (possibly an EOL) is DEC_INVALID. */
export const MODE_LOOKUP = new Uint32Array(1 << MODE_LOOKUP_BITS);
fillLookup(MODE_LOOKUP, MODE_LOOKUP_BITS, MODE_CODES);
