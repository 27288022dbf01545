/**
 * `webfax decode` on T.38 captures: the spandsp T.38 call vectors (test/vectors/t38/, made by the
 * capture engineer's t38gen) wrapped in UDPTL in a pcap go through decodeInput: the control
 * frames come out in the report, and the page (non-ECM and ECM) equals the chart that was sent.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { repoRoot, fixture } from '../helpers/peers';
import { encodePcap, ethernetIpv4Udp } from '../../core/formats/pcap';
import { encodeUdptl } from '../../core/formats/t38';
import { readTiff } from '../../core/formats/tiff';
import { decodeInput } from '../../core/decode/input';

function pcapOf(name: string): { pcap: Uint8Array; frames: string[] } {
  const text = gunzipSync(readFileSync(resolve(repoRoot, 'test/vectors/t38', name))).toString('utf8');
  const ip = { A: '10.1.1.1', B: '10.2.2.2' } as const;
  const port = { A: 6000, B: 7000 } as const;
  const out: { time: number; data: Uint8Array }[] = [];
  const frames: string[] = [];
  let k = 0;
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'F') frames.push(f[2]!);
    if (f[0] !== 'P') continue;
    const side = f[1] as 'A' | 'B';
    const other = side === 'A' ? 'B' : 'A';
    const ifp = Uint8Array.from(Buffer.from(f[4]!, 'hex'));
    out.push({
      time: 1_650_000_000 + Number(f[3]) / 8000 + k++ * 1e-6,
      data: ethernetIpv4Udp(ip[side], port[side], ip[other], port[other], encodeUdptl({ seq: Number(f[2]) & 0xffff, primary: ifp, secondary: [] })),
    });
  }
  return { pcap: encodePcap(out), frames };
}

const chart = readTiff(new Uint8Array(readFileSync(fixture('pages', 'chart_std_1p_g3-1d.tif'))))[0]!.image;

describe('decode: T.38 captures', () => {
  for (const [name, ecm] of [['chart_noecm_v2.ifp.txt.gz', false], ['chart_ecm_v3.ifp.txt.gz', true]] as const) {
    it(`${name}: control frames and the page`, () => {
      const { pcap, frames } = pcapOf(name);
      const { report, images } = decodeInput('call.pcap', pcap);
      const control = frames.filter((h) => h.slice(4, 6) !== '06' && h.slice(4, 6) !== '86');
      expect(report.frames.map((f) => f.hex)).toEqual(expect.arrayContaining(control));
      expect(report.frames.every((f) => f.fcsOk)).toBe(true);
      expect(report.summary.modem).toBe('V.17');
      expect(report.pages.length).toBe(1);
      expect(report.pages[0]).toMatchObject({ number: 1, ecm, rows: chart.height, badRows: 0 });
      expect(Buffer.from(images[0]!.data).equals(Buffer.from(chart.data))).toBe(true);
      expect(report.summary.verdict).toMatch(/1 page\(s\) decoded/);
    });
  }
});
