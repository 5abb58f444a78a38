import net from 'node:net';
import type { SmtpEndpoint } from '../config/smtp-url.js';

/**
 * Whether the SMTP relay answers: a TCP connection, and for STARTTLS peers their 220 greeting.
 * It sends nothing but QUIT, so a readiness probe never opens a mail transaction.
 */
export function smtpReachable(endpoint: SmtpEndpoint, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const done = (error?: Error) => {
      socket.destroy();
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    };
    socket.setTimeout(timeoutMs, () => done(new Error('SMTP peer timed out')));
    socket.once('error', (error) => done(error));
    socket.once('connect', () => {
      if (endpoint.implicitTls) {
        done();
      }
    });
    socket.once('data', (chunk: Buffer) => {
      const isGreeting = chunk.toString('latin1').startsWith('220');
      socket.end('QUIT\r\n');
      done(isGreeting ? undefined : new Error('SMTP peer did not greet with 220'));
    });
  });
}
