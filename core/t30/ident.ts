/**
 * CSI / TSI / CIG (and any 20-digit identity) FIF: up to 20 characters of Table 3/T.30 (digits,
 * '+' and space), sent last character first and padded with spaces to 20 octets. So the FIF
 * read backwards is the number as printed; we strip the padding.
 */

export const IDENT_LENGTH = 20;

/** Build the 20-octet FIF for an identity (longer strings are cut to 20 characters). */
export function encodeIdent(ident: string): Uint8Array {
  const out = new Uint8Array(IDENT_LENGTH).fill(0x20);
  const s = ident.slice(0, IDENT_LENGTH);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[IDENT_LENGTH - 1 - i] = c >= 0x20 && c < 0x7f ? c : 0x20;
  }
  return out;
}

/** Read an identity FIF of any length; non-printable octets become '?'. */
export function decodeIdent(fif: Uint8Array): string {
  let s = '';
  for (let i = fif.length - 1; i >= 0; i--) {
    const c = fif[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.trim();
}

/** True when every character is one Table 3/T.30 allows (digits, '+', space). */
export function isStandardIdent(ident: string): boolean {
  return /^[0-9+ ]*$/.test(ident);
}
