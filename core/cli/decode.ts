/**
 * `webfax decode RECORDING [--out DIR] [--json]`: the T.30 story of a fax call recording.
 * Input: WAV (any PCM/float/G.711 format, rate, channel count), headerless raw audio (.raw/.s16,
 * .ul/.ulaw, .al/.alaw; --rate and --encoding override), or a pcap/pcapng capture (each RTP
 * direction becomes a channel; T.38 HDLC frames are added as they are). Prints the frame-by-frame
 * report; --json prints report.json to stdout instead; --out DIR writes DIR/report.json and the
 * decoded pages as page-N.png (page-N-partial.png when the recording cut the page), fax.pdf and fax.tif (TIFF-F, MMR).
 * Bad input ends with a one-line error (thrown, main prints it) and a non-zero exit.
 */
import { readFileSync, mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join, basename } from 'node:path';
import type { Command } from './command';
import { parseArgs, stringOption, flagOption, numberOption, UsageError } from './args';
import type { RawEncoding } from '../formats/raw-audio';
import { decodeInput, type DecodeInputOptions, type DecodedInput } from '../decode/input';
import { formatReport } from '../decode/report';
import { encodePng } from '../formats/png';
import { encodePdf } from '../formats/pdf';
import { writeTiff } from '../formats/tiff';

export type DecodedFile = DecodedInput;

const options = {
  out: { value: true, help: 'write report.json, page-N.png, fax.pdf and fax.tif into DIR' },
  json: { value: false, help: 'print the report as JSON instead of text' },
  rate: { value: true, help: 'sample rate of headerless raw audio (default 8000)' },
  encoding: { value: true, help: 'raw audio encoding: s16le, ulaw or alaw (default from the extension)' },
  lenient: { value: false, help: 'decode a WAV whose data chunk is cut short instead of failing' },
};

function readInput(path: string): Uint8Array {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`cannot read ${path}: no such file`);
  }
  if (st.isDirectory()) throw new Error(`${path} is a directory, not a recording`);
  return new Uint8Array(readFileSync(path));
}

/** Decode any supported input file (see core/decode/input.ts). */
export function decodeFile(path: string, bytes: Uint8Array, o: DecodeInputOptions = {}): DecodedFile {
  return decodeInput(basename(path), bytes, o);
}

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'Decode a fax call recording (WAV/raw) or capture (pcap) into its T.30 story',
  usage: 'decode RECORDING [--out DIR] [--json] [--rate HZ] [--encoding s16le|ulaw|alaw] [--lenient]',
  options,
  async run(argv) {
    const args = parseArgs(argv, options);
    if (args.positionals.length !== 1) throw new UsageError('give exactly one recording');
    const path = args.positionals[0]!;
    const encRaw = stringOption(args, 'encoding');
    if (encRaw !== undefined && !['s16le', 'ulaw', 'alaw'].includes(encRaw)) throw new UsageError(`--encoding must be s16le, ulaw or alaw, got "${encRaw}"`);
    const rate = numberOption(args, 'rate', 8000);
    const { report, images } = decodeFile(path, readInput(path), {
      rate, encoding: encRaw as RawEncoding | undefined, lenient: flagOption(args, 'lenient'),
    });
    const out = stringOption(args, 'out');
    if (out) {
      mkdirSync(out, { recursive: true });
      for (let i = 0; i < images.length; i++) {
        // Named by the page's number in the call (a mid-call recording may start at page 2); a
        // page the recording cut says so in its name.
        const p = report.pages[i]!;
        const name = `page-${p.number}${p.partial ? '-partial' : ''}.png`;
        writeFileSync(join(out, name), await encodePng(images[i]!));
        report.pages[i]!.file = name;
      }
      if (images.length) {
        writeFileSync(join(out, 'fax.pdf'), await encodePdf(images, { title: report.file }));
        writeFileSync(join(out, 'fax.tif'), writeTiff(images, { compression: 'mmr' }));
        report.documents = ['fax.pdf', 'fax.tif'];
      }
    }
    const json = JSON.stringify(report, null, 2);
    if (out) writeFileSync(join(out, 'report.json'), json + '\n');
    if (flagOption(args, 'json')) console.log(json);
    else console.log(formatReport(report));
    return 0;
  },
};
