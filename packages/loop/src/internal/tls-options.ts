/** The `ssl` argument (Python's `SSLContext`) as Node TLS options, and the TLS handshake clock. */
import type tls from 'node:tls';
import type { AbstractEventLoop } from '../abstract-event-loop';
import { describe } from '../base-event-loop';
import type { SSLContext } from '../network-options';

export type { SSLContext };

const HANDSHAKE_TIMEOUT = 60;

function isSecureContext(value: object): value is tls.SecureContext {
  return value.constructor?.name === 'SecureContext' && 'context' in value;
}

/** Node options for `ssl`: `true` is Node's default client context. */
/** Client and server options in one type: they differ only in callbacks the user chose. */
type TlsAnyOptions = tls.ConnectionOptions & Omit<tls.TlsOptions, 'pskCallback'>;

export function tlsOptions(ssl: unknown, name = 'ssl', allowTrue = true): TlsAnyOptions {
  if (ssl === true && allowTrue) return {};
  if (ssl !== null && typeof ssl === 'object') {
    if (isSecureContext(ssl)) return { secureContext: ssl };
    return { ...(ssl as TlsAnyOptions) };
  }
  throw new TypeError(
    `${name} must be ${allowTrue ? 'true, ' : ''}a tls.SecureContext or TLS options, got ${describe(ssl)}`,
  );
}

/** Whether `ssl` asks for TLS (`undefined`, `null` and `false` do not). */
export function wantsTls(ssl: unknown): boolean {
  return ssl !== undefined && ssl !== null && ssl !== false;
}

/**
 * Aborts `sock` with asyncio's `ConnectionAbortedError` if the handshake is not done within
 * `timeout` seconds; returns the stop function.
 */
export function handshakeTimer(
  loop: AbstractEventLoop,
  sock: { destroy(err?: Error): unknown },
  timeout: number | undefined,
): () => void {
  const seconds = timeout ?? HANDSHAKE_TIMEOUT;
  const timer = loop.callLater(seconds, () => {
    sock.destroy(
      Object.assign(
        new Error(`SSL handshake is taking longer than ${seconds} seconds: aborting the connection`),
        { code: 'ECONNABORTED', name: 'ConnectionAbortedError' },
      ),
    );
  });
  return () => timer.cancel();
}
