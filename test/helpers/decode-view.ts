/**
 * Helpers for driving the Decode view in a browser test: drop a file on it as a user would, read
 * its frame list back, and the ground truth (spandsp's frame log) of a fixture call to compare with.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright';
import { fixture } from './peers';

/** Drop a file on the Decode view's drop zone, as a user dragging it from the desktop would. */
export async function dropFile(page: Page, name: string, bytes: Uint8Array, type: string): Promise<void> {
  const b64 = Buffer.from(bytes).toString('base64');
  await page.evaluate(({ b64, name, type }) => {
    const bin = atob(b64);
    const u = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([u], name, { type }));
    const el = document.querySelector('[data-testid=decode-drop]')!;
    el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { b64, name, type });
}

/** The frame names of a fixture call, in order, from spandsp's frame log of it. */
export function groundTruth(name: string): string[] {
  return readFileSync(fixture('calls', `${name}.frames.jsonl`), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { name?: string }).filter((e) => e.name).map((e) => e.name!);
}

/** One row of the view's frame list: frame name, whether its FCS was good, its summary text. */
export interface FrameRow { name: string | null; ok: boolean; text: string }

export async function frameList(page: Page): Promise<FrameRow[]> {
  return page.$$eval('[data-testid=frame-list] details', (els) => els.map((e) => ({
    name: e.getAttribute('data-frame'), ok: e.querySelector('.badge')?.textContent === 'FCS ok',
    text: e.querySelector('summary')?.textContent ?? '',
  })));
}
