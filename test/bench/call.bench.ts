/**
 * Whole-call speed: `webfax call` of a 3-page standard-resolution document (the spandsp
 * harness's doc_std_3p_g3-2d.tif) between two webfax endpoints in one process, beside spandsp's
 * `faxcall` on the same document and modem in the same run. Speed = seconds of call (line audio)
 * per CPU second, best of 3; the CPU includes reading the TIFF and writing the received one.
 * Goal: webfax at least 100x real time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, peerBin } from '../helpers/peers';
import { callCommand } from '../../core/cli/fax';

const RUNS = 3;
const DOC = fixture('pages', 'doc_std_3p_g3-2d.tif');

const CASES = [
  { name: 'V.17 14400 ECM', ours: ['--modems', 'v17,v29,v27', '--ecm'], theirs: ['--modems', 'v17,v29,v27', '--ecm'] },
  { name: 'V.17 14400 no ECM', ours: ['--modems', 'v17,v29,v27', '--no-ecm'], theirs: ['--modems', 'v17,v29,v27', '--no-ecm'] },
  { name: 'V.29 9600 no ECM', ours: ['--modems', 'v29', '--no-ecm'], theirs: ['--modems', 'v29', '--no-ecm'] },
];

async function webfax(args: string[]): Promise<{ audio: number; cpu: number; ok: boolean; pages: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'webfax-bench-'));
  const summary = join(dir, 's.json');
  const t0 = process.cpuUsage();
  await callCommand.run([DOC, '--out', dir, '--summary', summary, ...args]);
  const d = process.cpuUsage(t0);
  const s = JSON.parse(readFileSync(summary, 'utf8'));
  return { audio: s.audio_s, cpu: (d.user + d.system) / 1e6, ok: s.ok, pages: s.rx.pages_received };
}

function spandsp(args: string[]): { audio: number; cpu: number; ok: boolean } {
  const dir = mkdtempSync(join(tmpdir(), 'faxcall-bench-'));
  const cmd = `TIMEFORMAT='%U %S'; time ${peerBin('faxcall')} -i ${DOC} -o ${join(dir, 'rx.tif')} ${args.join(' ')} 2>/dev/null`;
  const out = execFileSync('bash', ['-c', `{ ${cmd} ; } 2>&1`], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  const [u, s] = lines.pop()!.split(' ').map(Number);
  const j = JSON.parse(lines.filter((l) => l.startsWith('{')).pop()!);
  return { audio: j.elapsed_s, cpu: u! + s!, ok: j.ok };
}

export async function run(): Promise<void> {
  for (const c of CASES) {
    let ours = { speed: 0, audio: 0, ok: false, pages: 0 };
    for (let i = 0; i < RUNS; i++) {
      const r = await webfax(c.ours);
      if (r.audio / r.cpu > ours.speed) ours = { speed: r.audio / r.cpu, audio: r.audio, ok: r.ok, pages: r.pages };
    }
    let theirs = { speed: 0, audio: 0, ok: false };
    for (let i = 0; i < RUNS; i++) {
      const r = spandsp(c.theirs);
      // bash's time has 1 ms resolution; a 0 would be infinite speed
      const sp = r.audio / Math.max(r.cpu, 0.001);
      if (sp > theirs.speed) theirs = { speed: sp, audio: r.audio, ok: r.ok };
    }
    console.log(`call ${c.name.padEnd(18)} webfax ${ours.audio.toFixed(1)} s call, ${ours.speed.toFixed(0)}x real time` +
      `${ours.ok ? '' : ` (FAILED, ${ours.pages} pages)`}; spandsp faxcall ${theirs.audio.toFixed(1)} s, ${theirs.speed.toFixed(0)}x` +
      `${theirs.ok ? '' : ' (FAILED)'}; ratio ${(ours.speed / theirs.speed).toFixed(2)}`);
  }
}
