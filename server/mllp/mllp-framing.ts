import { AppError } from '../../engine/errors/app-error.js';

const START = 0x0b;
const END = Buffer.from([0x1c, 0x0d]);

/** The largest message the listener takes, as the webhooks do. */
export const MLLP_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * Splits an MLLP byte stream into messages: each is framed `0x0B <message> 0x1C 0x0D`. Frames
 * may arrive split across TCP chunks or several in one chunk; bytes outside a frame are dropped,
 * as the MLLP specification says a receiver should.
 */
export class MllpDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /**
   * Takes the next chunk of the stream and returns the messages it completed.
   *
   * @throws AppError `body_too_large` when a frame grows past {@link MLLP_MAX_MESSAGE_BYTES}
   */
  push(chunk: Buffer): Buffer[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: Buffer[] = [];
    for (;;) {
      const start = this.pending.indexOf(START);
      if (start === -1) {
        this.pending = Buffer.alloc(0);
        return messages;
      }
      const end = this.pending.indexOf(END, start + 1);
      if (end === -1) {
        this.pending = this.pending.subarray(start);
        if (this.pending.length > MLLP_MAX_MESSAGE_BYTES + 1) {
          this.pending = Buffer.alloc(0);
          throw new AppError(
            'body_too_large',
            'An MLLP frame is over 10 MB; the connection is closed.',
          );
        }
        return messages;
      }
      messages.push(this.pending.subarray(start + 1, end));
      this.pending = this.pending.subarray(end + END.length);
    }
  }
}

/** Frames one message for MLLP. */
export function mllpFrame(text: string): Buffer {
  return Buffer.concat([Buffer.from([START]), Buffer.from(text, 'utf8'), END]);
}
