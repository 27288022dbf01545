/**
 * The USB Class 1 fax modem line: Web Serial port <-> core/class1's driver. The driver is pure
 * (bytes in, bytes out, timers injected); this file only adapts a SerialPort to its transport.
 */
import { Class1Modem, type Class1Transport } from '../../core/class1/driver';

interface SerialPortLike {
  open(o: { baudRate: number; flowControl?: 'none' | 'hardware' }): Promise<void>;
  close(): Promise<void>;
  readable: ReadableStream<Uint8Array> | null;
  writable: WritableStream<Uint8Array> | null;
  getInfo?(): { usbVendorId?: number; usbProductId?: number };
}
interface SerialLike { requestPort(o?: object): Promise<SerialPortLike> }

export function serialSupported(): boolean {
  return 'serial' in navigator;
}

export interface SerialLine { modem: Class1Modem; close(): Promise<void>; describe: string }

export async function openSerialModem(baudRate: number): Promise<SerialLine> {
  const serial = (navigator as Navigator & { serial?: SerialLike }).serial;
  if (!serial) throw new Error('this browser has no Web Serial API (use Chrome or Edge on a secure origin)');
  const port = await serial.requestPort();
  await port.open({ baudRate, flowControl: 'hardware' });
  if (!port.readable || !port.writable) throw new Error('the serial port could not be opened for reading and writing');
  const writer = port.writable.getWriter();
  const reader = port.readable.getReader();
  let closed = false;
  const transport: Class1Transport = {
    write: (bytes) => writer.write(bytes),
    setTimer: (ms, fn) => { const id = setTimeout(fn, ms); return () => clearTimeout(id); },
  };
  const modem = new Class1Modem(transport);
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || closed) break;
        if (value) modem.receive(value);
      }
    } catch {
      modem.lineClosed('the serial port was disconnected');
    }
  })();
  const info = port.getInfo?.() ?? {};
  return {
    modem,
    describe: info.usbVendorId ? `USB ${info.usbVendorId.toString(16).padStart(4, '0')}:${(info.usbProductId ?? 0).toString(16).padStart(4, '0')}` : 'serial port',
    async close() {
      closed = true;
      try { await reader.cancel(); } catch { /* already gone */ }
      reader.releaseLock();
      writer.releaseLock();
      await port.close().catch(() => {});
    },
  };
}
