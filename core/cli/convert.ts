import type { Command } from './command';

export const convertCommand: Command = {
  name: 'convert',
  summary: 'Convert between TIFF, PBM, PNG and PDF fax documents',
  usage: 'convert IN OUT [--compression mh|mr|mmr] [--resolution standard|fine|superfine]',
  options: {},
  async run() {
    console.error('webfax convert: not implemented yet');
    return 1;
  },
};
