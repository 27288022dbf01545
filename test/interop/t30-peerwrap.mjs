#!/usr/bin/env node
// A lockstep wrapper around a fax peer for fault tests: it passes our audio to the child and the
// child's back, block for block (320 bytes = 160 s16le samples), and can spoil the child's side:
//   --silence-after S   from S seconds on, send silence instead of the child's audio (a dead line)
//   --exit-after S      at S seconds, exit (the line is hung up: the far end sees EOF)
//   --noise-from S --noise-to S   add loud noise to the child's audio in that window
//   --noise-only        no child at all: answer every block with noise (not a fax machine)
// Usage: node t30-peerwrap.mjs [options] -- COMMAND ARGS...
import { spawn } from 'node:child_process';

const argv = process.argv.slice(2);
const o = { silence: Infinity, exit: Infinity, nFrom: Infinity, nTo: -1, noiseOnly: false };
let cmd = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--') { cmd = argv.slice(i + 1); break; }
  if (a === '--silence-after') o.silence = Number(argv[++i]);
  else if (a === '--exit-after') o.exit = Number(argv[++i]);
  else if (a === '--noise-from') o.nFrom = Number(argv[++i]);
  else if (a === '--noise-to') o.nTo = Number(argv[++i]);
  else if (a === '--noise-only') o.noiseOnly = true;
  else { process.stderr.write(`peerwrap: unknown option ${a}\n`); process.exit(2); }
}

const BLOCK = 320;
let seed = 12345;
function noise(buf, amp) {
  for (let i = 0; i < BLOCK; i += 2) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const v = buf.readInt16LE(i) + Math.round(((seed >>> 16) / 65536 - 0.5) * amp);
    buf.writeInt16LE(Math.max(-32768, Math.min(32767, v)), i);
  }
}

let child = null;
let childBuf = Buffer.alloc(0);
let childEnded = false;
let waiter = null;
if (!o.noiseOnly) {
  child = spawn(cmd[0], cmd.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdin.on('error', () => {});
  child.stdout.on('data', (c) => { childBuf = Buffer.concat([childBuf, c]); waiter?.(); });
  child.stdout.on('end', () => { childEnded = true; waiter?.(); });
}
async function childBlock() {
  while (childBuf.length < BLOCK && !childEnded) await new Promise((r) => { waiter = r; });
  waiter = null;
  if (childBuf.length < BLOCK) return Buffer.alloc(BLOCK);
  const b = Buffer.from(childBuf.subarray(0, BLOCK));
  childBuf = childBuf.subarray(BLOCK);
  return b;
}

let inBuf = Buffer.alloc(0);
let n = 0;
let busy = false;
async function pump() {
  if (busy) return;
  busy = true;
  while (inBuf.length >= BLOCK) {
    const blk = inBuf.subarray(0, BLOCK);
    inBuf = inBuf.subarray(BLOCK);
    const t = (n++ * 160) / 8000;
    if (t >= o.exit) { child?.kill('SIGTERM'); process.exit(0); }
    let out;
    if (o.noiseOnly) { out = Buffer.alloc(BLOCK); noise(out, 8000); }
    else {
      if (!childEnded) child.stdin.write(Buffer.from(blk));
      out = await childBlock();
      if (t >= o.silence) out.fill(0);
      if (t >= o.nFrom && t < o.nTo) noise(out, 20000);
    }
    process.stdout.write(out);
  }
  busy = false;
}
process.stdin.on('data', (c) => { inBuf = Buffer.concat([inBuf, c]); pump(); });
process.stdin.on('end', () => { child?.stdin.end(); setTimeout(() => process.exit(0), 200); });
process.stdout.on('error', () => process.exit(0));
