/**
 * Phase E results: every call ends with exactly one completion code. The numbering and meaning
 * follow spandsp's T30_ERR_* set (t30.h, 0.0.6) so our summaries line up with faxpeer's; the
 * texts are spandsp's wording.
 */
export enum T30Err {
  OK = 0,
  CEDTONE = 1,
  T0_EXPIRED = 2,
  T1_EXPIRED = 3,
  T3_EXPIRED = 4,
  HDLC_CARRIER = 5,
  CANNOT_TRAIN = 6,
  OPER_INT_FAIL = 7,
  INCOMPATIBLE = 8,
  RX_INCAPABLE = 9,
  TX_INCAPABLE = 10,
  NORESSUPPORT = 11,
  NOSIZESUPPORT = 12,
  UNEXPECTED = 13,
  TX_BADDCS = 14,
  TX_BADPG = 15,
  TX_ECMPHD = 16,
  TX_GOTDCN = 17,
  TX_INVALRSP = 18,
  TX_NODIS = 19,
  TX_PHBDEAD = 20,
  TX_PHDDEAD = 21,
  TX_T5EXP = 22,
  RX_ECMPHD = 23,
  RX_GOTDCS = 24,
  RX_INVALCMD = 25,
  RX_NOCARRIER = 26,
  RX_NOEOL = 27,
  RX_NOFAX = 28,
  RX_T2EXPDCN = 29,
  RX_T2EXPD = 30,
  RX_T2EXPFAX = 31,
  RX_T2EXPMPS = 32,
  RX_T2EXPRR = 33,
  RX_T2EXP = 34,
  RX_DCNWHY = 35,
  RX_DCNDATA = 36,
  RX_DCNFAX = 37,
  RX_DCNPHD = 38,
  RX_DCNRRD = 39,
  RX_DCNNORTN = 40,
  FILEERROR = 41,
  NOPAGE = 42,
  BADTIFF = 43,
  BADPAGE = 44,
  BADTAG = 45,
  BADTIFFHDR = 46,
  NOMEM = 47,
  RETRYDCN = 48,
  CALLDROPPED = 49,
  NOPOLL = 50,
  IDENT_UNACCEPTABLE = 51,
}

const TEXT: Record<T30Err, string> = {
  [T30Err.OK]: 'OK',
  [T30Err.CEDTONE]: 'The CED tone exceeded 5s',
  [T30Err.T0_EXPIRED]: 'Timed out waiting for initial communication',
  [T30Err.T1_EXPIRED]: 'Timed out waiting for the first message',
  [T30Err.T3_EXPIRED]: 'Timed out waiting for procedural interrupt',
  [T30Err.HDLC_CARRIER]: 'The HDLC carrier did not stop in a timely manner',
  [T30Err.CANNOT_TRAIN]: 'Failed to train with any of the compatible modems',
  [T30Err.OPER_INT_FAIL]: 'Operator intervention failed',
  [T30Err.INCOMPATIBLE]: 'Far end is not compatible',
  [T30Err.RX_INCAPABLE]: 'Far end is not able to receive',
  [T30Err.TX_INCAPABLE]: 'Far end is not able to transmit',
  [T30Err.NORESSUPPORT]: 'Far end cannot receive at the resolution of the image',
  [T30Err.NOSIZESUPPORT]: 'Far end cannot receive at the size of image',
  [T30Err.UNEXPECTED]: 'Unexpected message received',
  [T30Err.TX_BADDCS]: 'Received bad response to DCS or training',
  [T30Err.TX_BADPG]: 'Received a DCN from remote after sending a page',
  [T30Err.TX_ECMPHD]: 'Invalid ECM response received from receiver',
  [T30Err.TX_GOTDCN]: 'Received a DCN while waiting for a DIS',
  [T30Err.TX_INVALRSP]: 'Invalid response after sending a page',
  [T30Err.TX_NODIS]: 'Received other than DIS while waiting for DIS',
  [T30Err.TX_PHBDEAD]: 'Received no response to DCS, training or TCF',
  [T30Err.TX_PHDDEAD]: 'No response after sending a page',
  [T30Err.TX_T5EXP]: 'Timed out waiting for receiver ready (ECM mode)',
  [T30Err.RX_ECMPHD]: 'Invalid ECM response received from transmitter',
  [T30Err.RX_GOTDCS]: 'DCS received while waiting for DTC',
  [T30Err.RX_INVALCMD]: 'Unexpected command after page received',
  [T30Err.RX_NOCARRIER]: 'Carrier lost during fax receive',
  [T30Err.RX_NOEOL]: 'Timed out while waiting for EOL (end Of line)',
  [T30Err.RX_NOFAX]: 'Timed out while waiting for first line',
  [T30Err.RX_T2EXPDCN]: 'Timer T2 expired while waiting for DCN',
  [T30Err.RX_T2EXPD]: 'Timer T2 expired while waiting for phase D',
  [T30Err.RX_T2EXPFAX]: 'Timer T2 expired while waiting for fax page',
  [T30Err.RX_T2EXPMPS]: 'Timer T2 expired while waiting for next fax page',
  [T30Err.RX_T2EXPRR]: 'Timer T2 expired while waiting for RR command',
  [T30Err.RX_T2EXP]: 'Timer T2 expired while waiting for NSS, DCS or MCF',
  [T30Err.RX_DCNWHY]: 'Unexpected DCN while waiting for DCS or DIS',
  [T30Err.RX_DCNDATA]: 'Unexpected DCN while waiting for image data',
  [T30Err.RX_DCNFAX]: 'Unexpected DCN while waiting for EOM, EOP or MPS',
  [T30Err.RX_DCNPHD]: 'Unexpected DCN after EOM or MPS sequence',
  [T30Err.RX_DCNRRD]: 'Unexpected DCN after RR/RNR sequence',
  [T30Err.RX_DCNNORTN]: 'Unexpected DCN after requested retransmission',
  [T30Err.FILEERROR]: 'TIFF/F file cannot be opened',
  [T30Err.NOPAGE]: 'TIFF/F page not found',
  [T30Err.BADTIFF]: 'TIFF/F format is not compatible',
  [T30Err.BADPAGE]: 'TIFF/F page number tag missing',
  [T30Err.BADTAG]: 'Incorrect values for TIFF/F tags',
  [T30Err.BADTIFFHDR]: 'Bad TIFF/F header - incorrect values in fields',
  [T30Err.NOMEM]: 'Cannot allocate memory for more pages',
  [T30Err.RETRYDCN]: 'Disconnected after permitted retries',
  [T30Err.CALLDROPPED]: 'The call dropped prematurely',
  [T30Err.NOPOLL]: 'Poll not accepted',
  [T30Err.IDENT_UNACCEPTABLE]: "Far end's ident is not acceptable",
};

export function t30ErrText(code: T30Err): string {
  return TEXT[code] ?? `Unknown completion code ${code}`;
}

/** What happened to one page, reported as it happens (the receiver reports before confirming). */
export interface PageEvent {
  kind: 'page-sent' | 'page-confirmed' | 'page-received' | 'page-rejected';
  /** 1-based page number within the call. */
  page: number;
  /** MCF/RTP/RTN/PPR... the response involved, when there is one. */
  response?: string;
  /** Sample time of the event. */
  sample: number;
}

/** The phase E summary of a call. */
export interface CallResult {
  ok: boolean;
  status: T30Err;
  statusText: string;
  role: 'calling' | 'answering';
  direction: 'send' | 'receive';
  pagesSent: number;
  pagesConfirmed: number;
  pagesReceived: number;
  modem: string | null;
  bitRate: number;
  ecm: boolean;
  /** 'MH' | 'MR' | 'MMR' */
  coding: string | null;
  resolution: string | null;
  width: number;
  remoteIdent: string;
  ecmRetries: number;
  /** Sample count at phase E. */
  endSample: number;
  pageEvents: PageEvent[];
}
