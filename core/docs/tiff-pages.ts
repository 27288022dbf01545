/**
 * The pages of a TIFF as bilevel images, through the TIFF-F reader in core/formats/tiff.ts.
 * Kept as its own small adapter so the document code depends on one function only.
 */
import type { BilevelImage } from '../t4/image';

export async function readTiffPages(bytes: Uint8Array): Promise<BilevelImage[]> {
  void bytes;
  throw new Error('TIFF: reading is not available yet');
}
