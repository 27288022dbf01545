/**
 * The USB audio line: getUserMedia (all voice processing off: echo cancellation, noise
 * suppression and AGC would wreck modem signals) -> AudioWorklet (worklets/line-io.worklet.ts,
 * resampling to/from 8 kHz) -> the engine worker, and back to the chosen output device.
 * The worklet and the worker talk over their own MessageChannel: audio never crosses the main
 * thread.
 */
import workletUrl from '../../worklets/line-io.worklet.ts?worker&url';

export interface AudioLine {
  /** Give this port to the engine worker (transfer it): 160-sample 8 kHz blocks flow both ways on it. */
  port: MessagePort;
  sampleRate: number;
  close(): Promise<void>;
}

export interface AudioDevices { inputs: MediaDeviceInfo[]; outputs: MediaDeviceInfo[] }

export async function listAudioDevices(): Promise<AudioDevices> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return { inputs: all.filter((d) => d.kind === 'audioinput'), outputs: all.filter((d) => d.kind === 'audiooutput') };
}

export async function openAudioLine(inputId?: string, outputId?: string): Promise<AudioLine> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('this browser gives no access to audio devices (it needs a secure context: https or localhost)');
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: {
      deviceId: inputId ? { exact: inputId } : undefined,
      echoCancellation: false, noiseSuppression: false, autoGainControl: false, channelCount: 1,
    },
  });
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  try {
    const sink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (outputId && sink.setSinkId) await sink.setSinkId(outputId);
    await ctx.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(ctx, 'webfax-line-io', { numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    const source = ctx.createMediaStreamSource(stream);
    source.connect(node);
    node.connect(ctx.destination);
    const channel = new MessageChannel();
    node.port.postMessage({ type: 'port', port: channel.port1 }, [channel.port1]);
    await ctx.resume();
    return {
      port: channel.port2,
      sampleRate: ctx.sampleRate,
      async close() {
        node.port.postMessage({ type: 'dispose' });
        source.disconnect();
        node.disconnect();
        for (const t of stream.getTracks()) t.stop();
        await ctx.close();
      },
    };
  } catch (e) {
    for (const t of stream.getTracks()) t.stop();
    await ctx.close();
    throw e;
  }
}
