/**
 * Capture decoding speed: the two real fax-over-VoIP captures through core/decode/capture.ts
 * (pcap → UDP → RTP discovery → G.711 channels, plus the UDPTL scan), best of several runs.
 * Prints the time, MB/s of capture and how many times faster than the call's real time. There
 * is no reference tool in the harness for this (spandsp does not read pcaps), so no ratio.
 */
import { readFileSync } from 'node:fs';
import { fixture } from '../helpers/peers';
import { decodeCapture } from '../../core/decode/capture';

const RUNS = 5;

export async function run(): Promise<void> {
  for (const name of ['wireshark-sample_FAX-Call-t38-CA-TDM-SIP-FB-1.pcap', 'asterisk-testsuite_t38_enabled_two_reinvite_CARRIER_G711U.pcap']) {
    const bytes = new Uint8Array(readFileSync(fixture('pcap', name)));
    let best = Infinity;
    let audio = 0;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const c = decodeCapture(bytes);
      best = Math.min(best, performance.now() - t0);
      audio = c.audioChannels.reduce((s, ch) => s + ch.samples.length / 8000, 0);
    }
    console.log(`${name.slice(0, 40).padEnd(40)} ${(bytes.length / 1e6).toFixed(2)} MB  ${best.toFixed(1)} ms  ` +
      `${(bytes.length / 1e3 / best).toFixed(1)} MB/s  ${audio.toFixed(1)} s of channel audio = ${(audio * 1000 / best).toFixed(0)}x real time`);
  }
}
