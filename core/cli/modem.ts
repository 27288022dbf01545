import type { Command } from './command';

export const modemCommand: Command = {
  name: 'modem',
  summary: 'Raw modem transmit/receive (mirrors spandsp modemtx/modemrx)',
  usage: 'modem tx|rx --modem v21|v27|v29|v17 --rate R ...',
  options: {},
  async run() {
    console.error('webfax modem: not implemented yet');
    return 1;
  },
};
