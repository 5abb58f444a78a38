import PostalMime from 'postal-mime';
import {
  type DeliveryStatusReport,
  parseDeliveryStatus,
} from '../../engine/bounces/parse-delivery-status.js';

/** A DSN read from a whole message, with what the returned headers say about the original. */
export type ReadDsn =
  | {
      ok: true;
      report: DeliveryStatusReport;
      /** The returned message's Message-ID, for correlation when the report has no ENVID. */
      returnedMessageId?: string;
      /** The returned message's X-Pathwell-Ref (the same opaque reference as the ENVID). */
      returnedReference?: string;
    }
  | { ok: false; reason: string };

const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const RETURNED_TYPES = new Set(['text/rfc822-headers', 'message/rfc822', 'message/global']);

/**
 * Reads an RFC 3464 delivery status notification from a whole message (RFC 6522
 * `multipart/report; report-type=delivery-status`): the machine-readable part, and the
 * headers of the returned message. MIME is parsed by postal-mime; the status fields by
 * {@link parseDeliveryStatus}. Anything else is "not a DSN", for the caller to quarantine.
 */
export async function readDsn(raw: Buffer): Promise<ReadDsn> {
  let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    parsed = await PostalMime.parse(raw, {
      attachmentEncoding: 'utf8',
      rfc822Attachments: true,
    });
  } catch {
    return { ok: false, reason: 'not_mime' };
  }
  const contentType =
    parsed.headers.find((header) => header.key === 'content-type')?.value.toLowerCase() ?? '';
  if (
    !/^multipart\/report\b/.test(contentType) ||
    !/report-type="?delivery-status/.test(contentType)
  ) {
    return { ok: false, reason: 'not_delivery_report' };
  }
  const status = parsed.attachments.find((part) => STATUS_TYPES.has(part.mimeType.toLowerCase()));
  if (status === undefined) {
    return { ok: false, reason: 'no_delivery_status_part' };
  }
  const fields = parseDeliveryStatus(textOf(status.content));
  if (!fields.ok) {
    return { ok: false, reason: 'delivery_status_unreadable' };
  }

  const returned = parsed.attachments.find((part) =>
    RETURNED_TYPES.has(part.mimeType.toLowerCase()),
  );
  const headers = returned === undefined ? '' : textOf(returned.content).split(/\r?\n\r?\n/)[0];
  const messageId = /^message-id:\s*(<[^>\s]+>)/im.exec(headers ?? '')?.[1];
  const reference = /^x-pathwell-ref:\s*([A-Za-z0-9_-]+)/im.exec(headers ?? '')?.[1];
  return {
    ok: true,
    report: fields.report,
    ...(messageId === undefined ? {} : { returnedMessageId: messageId }),
    ...(reference === undefined ? {} : { returnedReference: reference }),
  };
}

// With `attachmentEncoding: 'utf8'` postal-mime gives strings; bytes are decoded just in case.
function textOf(content: string | ArrayBuffer | Uint8Array): string {
  return typeof content === 'string'
    ? content
    : Buffer.from(content as Uint8Array).toString('utf8');
}
