#!/usr/bin/env python3
"""Golden G.711 decode tables from Python's audioop (an independent C implementation of G.711).
Writes g711-audioop.json beside this script: ulaw[i] / alaw[i] = the s16 value of octet i.
Run with Python <= 3.12 (audioop was removed in 3.13)."""
import audioop, json, os
codes = bytes(range(256))
def table(f):
    raw = f(codes, 2)
    return [int.from_bytes(raw[2*i:2*i+2], 'little', signed=True) for i in range(256)]
out = {"source": "python audioop.ulaw2lin / alaw2lin", "ulaw": table(audioop.ulaw2lin), "alaw": table(audioop.alaw2lin)}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'g711-audioop.json'), 'w') as f:
    json.dump(out, f)
