import type { Command } from './command';
import { decodeCommand } from './decode';
import { modemCommand } from './modem';
import { convertCommand } from './convert';
import { sendCommand, receiveCommand, callCommand } from './fax';
import { benchCommand } from './bench';

/** Every `webfax` command, in the order `--help` lists them. */
export const commands: Command[] = [
  sendCommand,
  receiveCommand,
  callCommand,
  decodeCommand,
  convertCommand,
  modemCommand,
  benchCommand,
];
