#!/bin/sh
# Regenerate the T.38 golden vectors: two spandsp T.38 terminals send the 1-page ITU chart
# (fixtures/pages/chart_std_1p_g3-1d.tif) to each other; every IFP packet and T.30 frame each
# side sent is logged (format: see t38gen.c). Needs libspandsp-dev and libtiff-dev.
set -eu
cd "$(dirname "$0")"
DOC=../../../../shared/fixtures/pages/chart_std_1p_g3-1d.tif
TMP=$(mktemp -d)
cc -O2 -Wall -o "$TMP/t38gen" t38gen.c -lspandsp -ltiff -lm
"$TMP/t38gen" --send "$DOC" --rx "$TMP/a.tif" --version 2 | gzip -9n > chart_noecm_v2.ifp.txt.gz
"$TMP/t38gen" --send "$DOC" --rx "$TMP/b.tif" --version 0 | gzip -9n > chart_noecm_v0.ifp.txt.gz
"$TMP/t38gen" --send "$DOC" --rx "$TMP/c.tif" --version 3 --ecm | gzip -9n > chart_ecm_v3.ifp.txt.gz
# ECM with two of the caller's packets (inside FCD frame 1) lost on the way: the answerer sends
# PPR and the caller retransmits the frame.
"$TMP/t38gen" --send "$DOC" --rx "$TMP/d.tif" --version 3 --ecm --drop 101,102 | gzip -9n > chart_ecm_ppr_v3.ifp.txt.gz
rm -rf "$TMP"
ls -l *.gz
