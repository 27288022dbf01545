import type { Command } from './command';

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'Decode a fax call recording (WAV) or capture into its T.30 story and pages',
  usage: 'decode RECORDING [--out DIR] [--json]',
  options: {},
  async run() {
    console.error('webfax decode: not implemented yet');
    return 1;
  },
};
