/**
 * Class 1 result codes (verbose form, ATV1) and the information lines around them. A command
 * ends with exactly one final result; RING arrives unsolicited.
 */
export type FinalResult = 'OK' | 'CONNECT' | 'ERROR' | 'NO CARRIER' | '+FCERROR' | 'BUSY' | 'NO DIALTONE' | 'NO ANSWER';

const FINALS: readonly FinalResult[] = ['OK', 'CONNECT', 'ERROR', 'NO CARRIER', '+FCERROR', 'BUSY', 'NO DIALTONE', 'NO ANSWER'];
/** Numeric (ATV0) forms some modems fall back to. */
const NUMERIC: Record<string, FinalResult> = { '0': 'OK', '1': 'CONNECT', '3': 'NO CARRIER', '4': 'ERROR', '6': 'NO DIALTONE', '7': 'BUSY', '8': 'NO ANSWER', '+F4': '+FCERROR' };

export type ResponseLine =
  | { kind: 'final'; result: FinalResult; text: string }
  | { kind: 'ring' }
  | { kind: 'info'; text: string };

/** Classify one line the modem sent (without its CR LF). */
export function classifyLine(line: string): ResponseLine {
  const t = line.trim();
  if (t === 'RING' || t === '2') return { kind: 'ring' };
  for (const f of FINALS) if (t === f || (f === 'CONNECT' && t.startsWith('CONNECT '))) return { kind: 'final', result: f, text: t };
  const n = NUMERIC[t];
  if (n) return { kind: 'final', result: n, text: t };
  return { kind: 'info', text: t };
}

/** Parse a +FTM=? / +FRM=? / +FTH=? answer ("24,48,72,96" or "+FTM: 24,48") into numbers. */
export function parseModulations(info: string[]): number[] {
  const out: number[] = [];
  for (const line of info) {
    const body = line.replace(/^\+F[TR][MH]:\s*/i, '');
    for (const part of body.split(',')) {
      const range = part.trim().match(/^(\d+)(?:-(\d+))?$/);
      if (!range) continue;
      out.push(Number(range[1]));
    }
  }
  return out;
}

/** What each T.31 modulation number means (+FTM/+FRM/+FTH/+FRH parameter). */
export const MODULATIONS: Record<number, { modem: string; rate: number }> = {
  3: { modem: 'V.21', rate: 300 },
  24: { modem: 'V.27ter', rate: 2400 },
  48: { modem: 'V.27ter', rate: 4800 },
  72: { modem: 'V.29', rate: 7200 },
  96: { modem: 'V.29', rate: 9600 },
  73: { modem: 'V.17', rate: 7200 },
  74: { modem: 'V.17 short', rate: 7200 },
  97: { modem: 'V.17', rate: 9600 },
  98: { modem: 'V.17 short', rate: 9600 },
  121: { modem: 'V.17', rate: 12000 },
  122: { modem: 'V.17 short', rate: 12000 },
  145: { modem: 'V.17', rate: 14400 },
  146: { modem: 'V.17 short', rate: 14400 },
};
