import type { Command } from './command';

function notYet(name: string, summary: string, usage: string): Command {
  return {
    name, summary, usage, options: {},
    async run() { console.error(`webfax ${name}: not implemented yet`); return 1; },
  };
}

export const sendCommand = notYet('send', 'Send a document to a fax endpoint', 'send DOC --peer "COMMAND"');
export const receiveCommand = notYet('receive', 'Receive a fax from a fax endpoint', 'receive --out DIR --peer "COMMAND"');
export const callCommand = notYet('call', 'Fax a document between two webfax endpoints in one process', 'call DOC --out DIR');
