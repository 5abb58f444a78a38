import { describe, expect, it } from 'vitest';
import { MllpDecoder, mllpFrame } from './mllp-framing.js';

const text = (buffers: Buffer[]) => buffers.map((buffer) => buffer.toString('utf8'));

describe('MllpDecoder', () => {
  it('returns a framed message', () => {
    expect(text(new MllpDecoder().push(mllpFrame('MSH|^~\\&|A')))).toEqual(['MSH|^~\\&|A']);
  });

  it('joins a frame split across chunks, even between its two end bytes', () => {
    const frame = mllpFrame('MSH|one\rPID|1');
    const decoder = new MllpDecoder();

    const parts = [
      frame.subarray(0, 3),
      frame.subarray(3, frame.length - 1),
      frame.subarray(frame.length - 1),
    ];

    expect(parts.map((part) => text(decoder.push(part)))).toEqual([[], [], ['MSH|one\rPID|1']]);
  });

  it('splits several frames in one chunk and drops bytes between frames', () => {
    const chunk = Buffer.concat([
      Buffer.from('noise'),
      mllpFrame('MSH|1'),
      Buffer.from('\r\n'),
      mllpFrame('MSH|2'),
    ]);

    expect(text(new MllpDecoder().push(chunk))).toEqual(['MSH|1', 'MSH|2']);
  });

  it('keeps a 0x1C inside a message that is not followed by CR', () => {
    const inner = `MSH|a${String.fromCharCode(0x1c)}b`;

    expect(text(new MllpDecoder().push(mllpFrame(inner)))).toEqual([inner]);
  });

  it('refuses a frame that never ends past the size limit', () => {
    const decoder = new MllpDecoder();
    decoder.push(Buffer.from([0x0b]));

    expect(() => decoder.push(Buffer.alloc(10 * 1024 * 1024 + 10, 0x41))).toThrow(
      expect.objectContaining({ code: 'body_too_large' }),
    );
  });
});
