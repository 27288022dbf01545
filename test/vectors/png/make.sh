#!/bin/sh
# Golden PNG vectors for test/unit/png.test.ts, written by netpbm's pnmtopng (an independent
# encoder) in every colour type / bit depth / interlace we read, each with the pixels netpbm's
# pngtopnm decodes from it (composited on white) as the oracle.  Needs: python3, netpbm.
set -e
cd "$(dirname "$0")"
python3 - <<'PY'
# 37x23 source: colour gradients, a hard-edged box, an alpha ramp.
W, H = 37, 23
rgb = bytearray(); grey = bytearray(); alpha = bytearray(); bw = bytearray()
for y in range(H):
    for x in range(W):
        r, g, b = (x * 7) % 256, (y * 11) % 256, ((x + y) * 5) % 256
        if 10 <= x < 20 and 5 <= y < 15: r, g, b = 20, 30, 40
        rgb += bytes((r, g, b))
        grey.append((x * 255) // (W - 1) if y < H // 2 else (y * 255) // (H - 1))
        alpha.append(255 if x < 5 else (x * 255) // (W - 1))
        bw.append(0 if ((x // 3 + y // 2) % 3 == 0) else 1)
open('src.ppm', 'wb').write(b'P6 %d %d 255\n' % (W, H) + rgb)
open('src.pgm', 'wb').write(b'P5 %d %d 255\n' % (W, H) + grey)
open('alpha.pgm', 'wb').write(b'P5 %d %d 255\n' % (W, H) + alpha)
open('src16.pgm', 'wb').write(b'P5 %d %d 65535\n' % (W, H) + b''.join(((v * 257 + i % 7) & 0xffff).to_bytes(2, 'big') for i, v in enumerate(grey)))
open('src16.ppm', 'wb').write(b'P6 %d %d 65535\n' % (W, H) + b''.join(((v * 257 + i % 5) & 0xffff).to_bytes(2, 'big') for i, v in enumerate(rgb)))
open('src.pbm', 'wb').write(b'P1 %d %d\n' % (W, H) + b' '.join(b'%d' % v for v in bw) + b'\n')
PY
# grey at 1 (bilevel), 2, 4, 8, 16 bits; rgb 8 and 16; palette; grey+alpha; rgba; Adam7 variants
pnmtopng src.pbm > g1.png
pnmtopng -interlace src.pbm > g1i.png
pamdepth 3 src.pgm | pnmtopng > g2.png
pamdepth 15 src.pgm | pnmtopng > g4.png
pnmtopng src.pgm > g8.png
pnmtopng src16.pgm > g16.png
pnmtopng -force src.ppm > rgb8.png
pnmtopng -interlace src16.ppm > rgb16i.png
pnmquant 16 src.ppm 2>/dev/null | pnmtopng > pal4.png
pnmtopng -alpha=alpha.pgm src.pgm > ga8.png
pnmtopng -alpha=alpha.pgm src.ppm > rgba8.png
pnmtopng -interlace -alpha=alpha.pgm src.ppm > rgba8i.png
for f in *.png; do pngtopnm -mix -background=white "$f" > "${f%.png}.pnm"; done
rm -f src.ppm src.pgm alpha.pgm src.pbm src16.pgm src16.ppm
