import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type {
  GeneratorMessage,
  GeneratorOptions,
  GeneratorReady,
  PhaseRequest,
  PhaseResult,
} from './generator-protocol.ts';

/** The load generator in its own process, driven one phase at a time over IPC. */
export interface GeneratorProcess {
  ready: GeneratorReady;
  run(request: PhaseRequest): Promise<PhaseResult>;
  stop(): Promise<void>;
}

export async function startGenerator(options: GeneratorOptions): Promise<GeneratorProcess> {
  const child = fork(new URL('./load-generator.ts', import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = (await nextMessage(child)) as GeneratorReady;
  return {
    ready,
    async run(request) {
      const reply = nextMessage(child);
      child.send(request);
      return (await reply) as PhaseResult;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

function nextMessage(child: ChildProcess): Promise<GeneratorMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`load generator exited (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as GeneratorMessage);
    });
  });
}
