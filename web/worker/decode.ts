/**
 * The Decode view's analysis, in the engine worker: input bytes (or browser-decoded audio) ->
 * core/decode's recording analyser -> the page's ViewReport. Until core/decode's analyser lands
 * this says so instead of guessing.
 */
import type { DecodeInput, Progress, ViewReport } from '../api';

export const decodeAvailable = false;

export async function decodeRecording(input: DecodeInput, onProgress?: (p: Progress) => void): Promise<ViewReport> {
  void input; void onProgress;
  throw new Error('the recording decoder is not in this build yet');
}
