/**
 * Wrap a T.38 vector (NAME.ifp.txt.gz from t38gen.c) into a pcap: UDPTL with 2 redundant IFPs
 * per packet, caller 10.1.1.1:6000, answerer 10.2.2.2:7000, timed by the vector's sample clock.
 * Usage: npx tsx test/vectors/t38/make-pcap.ts NAME.ifp.txt.gz OUT.pcap
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { encodePcap, ethernetIpv4Udp } from '../../../core/formats/pcap';
import { encodeUdptl } from '../../../core/formats/t38';

const [input, output] = process.argv.slice(2);
if (!input || !output) { console.error('usage: make-pcap.ts NAME.ifp.txt.gz OUT.pcap'); process.exit(1); }
const ip = { A: '10.1.1.1', B: '10.2.2.2' } as const;
const port = { A: 6000, B: 7000 } as const;
const history = { A: [] as Uint8Array[], B: [] as Uint8Array[] };
const frames: { time: number; data: Uint8Array }[] = [];
let k = 0;
for (const line of gunzipSync(readFileSync(input)).toString('utf8').split('\n')) {
  const f = line.split(' ');
  if (f[0] !== 'P') continue;
  const side = f[1] as 'A' | 'B';
  const other = side === 'A' ? 'B' : 'A';
  const seq = Number(f[2]);
  const ifp = Uint8Array.from(Buffer.from(f[4]!, 'hex'));
  history[side][seq] = ifp;
  const secondary = [seq - 1, seq - 2].filter((s) => s >= 0).map((s) => history[side][s]!);
  frames.push({
    time: 1_650_000_000 + Number(f[3]) / 8000 + (k++) * 1e-6,
    data: ethernetIpv4Udp(ip[side], port[side], ip[other], port[other], encodeUdptl({ seq: seq & 0xffff, primary: ifp, secondary })),
  });
}
writeFileSync(output, encodePcap(frames));
console.log(`${output}: ${frames.length} packets`);
