/**
 * The T.4/T.6 codec in one import: encode (encodeImage, T4Encoder, T4PageBitSource), decode
 * (decodeImage, T4Decoder), copy quality (copyQuality), the BilevelImage type and helpers.
 * Pure and I/O-free; containers (TIFF, PBM) live in core/formats.
 */
export * from './image';
export { encodeImage, kForResolution, T4Encoder, T4PageBitSource } from './encode';
export type { Coding, EncodeOptions, EncoderSetup } from './encode';
export { decodeImage, createDecoder, T4Decoder } from './decode';
export type { DecodeSetup, DecodeStats, DecodeImageOptions, DecodeImageResult } from './decode';
export { copyQuality } from './quality';
export type { CopyQuality, QualityCounts, QualityOptions } from './quality';
