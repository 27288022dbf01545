/*
 * t38gen: a whole fax call between two spandsp T.38 terminals (t38_terminal, spandsp 0.0.6),
 * logged as the IFP packets each side sent — the golden input for webfax's T.38 decoder.
 *
 * Build and run (from test/vectors/t38/; gen.sh does this for every vector):
 *   cc -O2 -o /tmp/t38gen t38gen.c -lspandsp -ltiff -lm
 *   /tmp/t38gen --send DOC.tif --rx OUT.rx.tif [--ecm] [--version 0|1|2|3] [--drop SEQ,SEQ,...] > NAME.ifp.txt
 * --drop: those packets of side A are logged but never reach B (to make B send PPR in ECM).
 *
 * Output lines (text, one per event, in time order):
 *   P <side> <seq> <sample> <hex>   an IFP packet side A (caller, sender) or B sent; seq counts from 0
 *                                   per side; sample = 8 kHz samples since the call started.
 *   F <side> <hex>                  a T.30 frame that side sent (spandsp's real-time frame handler),
 *                                   as T.30 writes it: FF, control, FCF, ... (no FCS).
 *   E <side> <status> <pages> <bad_rows>   phase E of that side.
 * Packets are delivered to the other side at the end of each 20 ms step (no loss), with the
 * sequence number they were logged with.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <tiffio.h>
#define SPANDSP_EXPOSE_INTERNAL_STRUCTURES
#include <spandsp.h>

#define STEP 160
#define MAX_QUEUED 4096

typedef struct { uint8_t buf[1024]; int len; int seq; } pkt_t;
typedef struct {
    char name;
    t38_terminal_state_t *t38;
    t30_state_t *t30;
    pkt_t queue[MAX_QUEUED];
    int queued;
    int seq;
    bool done;
    int status;
    t30_stats_t stats;
} side_t;

static long samples;
static int drops[64], ndrops;

static void hex(const uint8_t *b, int len)
{
    for (int i = 0; i < len; i++) printf("%02x", b[i]);
}

static int tx_packet(t38_core_state_t *s, void *user_data, const uint8_t *buf, int len, int count)
{
    side_t *side = (side_t *) user_data;
    (void) s; (void) count;   /* count = how many copies to send; one is enough on a lossless path */
    if (side->queued >= MAX_QUEUED || len > (int) sizeof(side->queue[0].buf)) { fprintf(stderr, "queue overflow\n"); exit(2); }
    side->queue[side->queued].seq = side->seq;
    printf("P %c %d %ld ", side->name, side->seq++, samples);
    hex(buf, len);
    printf("\n");
    memcpy(side->queue[side->queued].buf, buf, len);
    side->queue[side->queued].len = len;
    side->queued++;
    return 0;
}

static void frame_handler(t30_state_t *t30, void *user_data, int incoming, const uint8_t *msg, int len)
{
    side_t *side = (side_t *) user_data;
    (void) t30;
    if (incoming) return;
    printf("F %c ", side->name);
    hex(msg, len);
    printf("\n");
}

static void phase_e(t30_state_t *t30, void *user_data, int result)
{
    side_t *side = (side_t *) user_data;
    t30_get_transfer_statistics(t30, &side->stats);
    side->status = result;
    side->done = true;
}

static bool dropped(side_t *from, int seq)
{
    for (int i = 0; from->name == 'A' && i < ndrops; i++) if (drops[i] == seq) return true;
    return false;
}

static void deliver(side_t *from, side_t *to)
{
    for (int i = 0; i < from->queued; i++) {
        if (dropped(from, from->queue[i].seq)) continue;
        t38_core_rx_ifp_packet(t38_terminal_get_t38_core_state(to->t38), from->queue[i].buf, from->queue[i].len, (uint16_t) from->queue[i].seq);
    }
    from->queued = 0;
}

int main(int argc, char **argv)
{
    const char *send = NULL, *rx = NULL;
    bool ecm = false;
    int version = 2;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--send") && i + 1 < argc) send = argv[++i];
        else if (!strcmp(argv[i], "--rx") && i + 1 < argc) rx = argv[++i];
        else if (!strcmp(argv[i], "--ecm")) ecm = true;
        else if (!strcmp(argv[i], "--version") && i + 1 < argc) version = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--drop") && i + 1 < argc) {
            for (char *p = strtok(argv[++i], ","); p && ndrops < 64; p = strtok(NULL, ",")) drops[ndrops++] = atoi(p);
        }
        else { fprintf(stderr, "usage: t38gen --send DOC.tif --rx OUT.tif [--ecm] [--version N] [--drop SEQ,...]\n"); return 1; }
    }
    if (!send || !rx) { fprintf(stderr, "t38gen: --send and --rx are required\n"); return 1; }
    static side_t a, b;
    side_t *sides[2] = { &a, &b };
    a.name = 'A'; b.name = 'B';
    for (int k = 0; k < 2; k++) {
        side_t *s = sides[k];
        s->t38 = t38_terminal_init(NULL, k == 0, tx_packet, s);
        s->t30 = t38_terminal_get_t30_state(s->t38);
        t38_set_t38_version(t38_terminal_get_t38_core_state(s->t38), version);
        t30_set_tx_ident(s->t30, k == 0 ? "T38 SENDER" : "T38 RECEIVER");
        t30_set_supported_modems(s->t30, T30_SUPPORT_V27TER | T30_SUPPORT_V29 | T30_SUPPORT_V17);
        t30_set_supported_compressions(s->t30, T30_SUPPORT_T4_1D_COMPRESSION | T30_SUPPORT_T4_2D_COMPRESSION | T30_SUPPORT_T6_COMPRESSION);
        t30_set_ecm_capability(s->t30, ecm);
        t30_set_phase_e_handler(s->t30, phase_e, s);
        t30_set_real_time_frame_handler(s->t30, frame_handler, s);
    }
    t30_set_tx_file(a.t30, send, -1, -1);
    t30_set_rx_file(b.t30, rx, -1);
    for (samples = 0; samples < 8000L * 600 && !(a.done && b.done); samples += STEP) {
        t38_terminal_send_timeout(a.t38, STEP);
        t38_terminal_send_timeout(b.t38, STEP);
        deliver(&a, &b);
        deliver(&b, &a);
    }
    for (int k = 0; k < 2; k++)
        printf("E %c %d %d %d\n", sides[k]->name, sides[k]->status, k == 0 ? sides[k]->stats.pages_tx : sides[k]->stats.pages_rx, sides[k]->stats.bad_rows);
    return (a.status == T30_ERR_OK && b.status == T30_ERR_OK) ? 0 : 3;
}
