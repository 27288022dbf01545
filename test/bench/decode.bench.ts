/**
 * Decoding a whole call recording (~62-72 s at 8 kHz) to its report and page images: CPU time of
 * webfax's analyser (tones, V.21, the fast modem, T.4/T.6, ECM reassembly) beside spandsp's own
 * decode of the same tap (a fresh `faxpeer --receive` replaying the mono WAV, the README's replay
 * example). Prints seconds of CPU per 60 s of audio (goal <= 1 s), and the ratio. Best of 3.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, peerBin } from '../helpers/peers';
import { parseWav } from '../../core/formats/wav';
import { analyseRecording } from '../../core/decode/recording';

const RUNS = 3;

export async function run(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'webfax-decode-bench-'));
  try {
    for (const name of ['v17_14400_noecm', 'v29_9600_ecm']) {
      const bytes = readFileSync(fixture('calls', `${name}.wav`));
      const w = parseWav(bytes);
      const audioS = w.channels[0]!.length / w.sampleRate;
      let ours = Infinity;
      let frames = 0;
      for (let r = 0; r < RUNS; r++) {
        const t0 = process.cpuUsage();
        const rep = analyseRecording(w.channels, w.sampleRate);
        const d = process.cpuUsage(t0);
        frames = rep.frames.length;
        ours = Math.min(ours, (d.user + d.system) / 1e6);
      }
      // spandsp: raw s16 of the tap into faxpeer --receive; CPU from the child's rusage via bash time.
      const raw = Buffer.from(bytes.subarray(44));
      let theirs = Infinity;
      for (let r = 0; r < RUNS; r++) {
        const res = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ${peerBin('faxpeer')} --receive ${join(tmp, 'rx.tif')} >/dev/null 2>/dev/null`], { input: raw, encoding: 'utf8' });
        const [u, s] = res.stderr.trim().split('\n').pop()!.split(' ').map(Number);
        if (Number.isFinite(u! + s!)) theirs = Math.min(theirs, u! + s!);
      }
      const per60 = (x: number) => (x * 60) / audioS;
      console.log(`${name} (${audioS.toFixed(1)} s, ${frames} frames): webfax ${per60(ours).toFixed(3)} s CPU per 60 s` +
        `, spandsp faxpeer replay ${per60(theirs).toFixed(3)} s, ratio spandsp/webfax ${(theirs / ours).toFixed(2)}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
