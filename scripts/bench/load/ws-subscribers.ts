import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { KEY_STATUS_SUBSCRIPTION, wallClockMs } from './ws-common';

/**
 * A load generator for the fan-out workload, run as a child process (`fork`) so the sockets' client
 * side never shares an event loop with the bench runner or the api. It opens `count` sockets with
 * one keyStatusChanged subscription each (mode graphql), or plain WebSocket connections to the
 * bare broadcast server (mode raw), and records when each socket first saw the expected event.
 */

export type SubscriberMode = 'graphql' | 'raw';

export type ToSubscribers =
  | { type: 'open'; mode: SubscriberMode; url: string; token: string; count: number; inFlight: number }
  /** From now on, an event counts as expected when it is this key as UNHEALTHY. */
  | { type: 'expect'; keyId: string }
  | { type: 'report' }
  | { type: 'close' };

export type FromSubscribers =
  | { type: 'opened'; count: number }
  | { type: 'expecting' }
  | { type: 'failed'; error: string }
  /** Every socket saw the expected event at least once. */
  | { type: 'all-received' }
  /** Per socket: wall-clock ms of its first expected event (0: none) and how many expected events it saw. */
  | { type: 'arrivals'; first: number[]; matching: number[]; other: number; errors: string[] }
  | { type: 'closed' };

interface KeyStatus {
  keyStatusChanged?: { id?: string; health?: string };
}

const send = (message: FromSubscribers) => process.send?.(message);

let expected: string | undefined;
let first: number[] = [];
let matching: number[] = [];
let other = 0;
let received = 0;
let errors: string[] = [];
let closers: (() => Promise<void>)[] = [];

function onEvent(index: number, event: KeyStatus | undefined): void {
  const at = wallClockMs();
  const key = event?.keyStatusChanged;
  if (!expected || key?.id !== expected || key.health !== 'UNHEALTHY') {
    other += 1;
    return;
  }
  matching[index] += 1;
  if (first[index] !== 0) return;
  first[index] = at;
  received += 1;
  if (received === first.length) send({ type: 'all-received' });
}

function openGraphql(index: number, url: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let connected = false;
    const client: Client = createClient({
      url,
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
      on: {
        connected: () => {
          connected = true;
          resolve();
        },
        closed: (event) => {
          const { code, reason } = event as { code: number; reason: string };
          if (!connected) reject(new Error(`socket ${index} closed before its ack: ${code} ${reason}`));
          else if (code !== 1000) errors.push(`socket ${index} closed: ${code} ${reason}`);
        },
      },
    });
    client.subscribe<KeyStatus>(
      { query: KEY_STATUS_SUBSCRIPTION },
      {
        next: (value) => {
          if (value.errors) errors.push(JSON.stringify(value.errors).slice(0, 300));
          else onEvent(index, value.data ?? undefined);
        },
        error: (error) => errors.push(`socket ${index}: ${error instanceof Error ? error.message : JSON.stringify(error).slice(0, 300)}`),
        complete: () => undefined,
      },
    );
    closers.push(async () => {
      await client.dispose();
    });
  });
}

function openRaw(index: number, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.on('message', (data) => onEvent(index, JSON.parse(String(data)) as KeyStatus));
    closers.push(
      () =>
        new Promise<void>((done) => {
          if (socket.readyState === WebSocket.CLOSED) return done();
          socket.once('close', () => done());
          socket.close();
        }),
    );
  });
}

async function open(message: Extract<ToSubscribers, { type: 'open' }>): Promise<void> {
  first = new Array<number>(message.count).fill(0);
  matching = new Array<number>(message.count).fill(0);
  other = 0;
  received = 0;
  errors = [];
  closers = [];
  expected = undefined;
  // A bounded number of handshakes in flight: a burst of thousands would only queue in the kernel.
  let next = 0;
  const opener = async () => {
    while (next < message.count) {
      const index = next++;
      await (message.mode === 'graphql' ? openGraphql(index, message.url, message.token) : openRaw(index, message.url));
    }
  };
  await Promise.all(Array.from({ length: message.inFlight }, opener));
}

process.on('message', (message: ToSubscribers) => {
  switch (message.type) {
    case 'open':
      open(message).then(
        () => send({ type: 'opened', count: message.count }),
        (error: unknown) => send({ type: 'failed', error: error instanceof Error ? error.message : String(error) }),
      );
      break;
    case 'expect':
      expected = message.keyId;
      send({ type: 'expecting' });
      break;
    case 'report':
      send({ type: 'arrivals', first, matching, other, errors: errors.slice(0, 20) });
      break;
    case 'close':
      void Promise.allSettled(closers.map((close) => close())).then(() => send({ type: 'closed' }));
      break;
  }
});

// The bench runner gone (finished or killed): nothing here is worth keeping.
process.on('disconnect', () => process.exit(0));
