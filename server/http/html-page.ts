import type { Response } from 'express';

/** Escapes text for HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/**
 * Answers with a small server-rendered page. Titles are generic (they show in browser history
 * and tabs), nothing is cached, no script may run and no referrer leaves the page, because
 * these pages carry tokens in their URLs and, on the portal, the message itself.
 *
 * @param body - HTML already escaped by the caller
 */
export function sendPage(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
    })
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem}</style></head><body>${body}</body></html>`,
    );
}

/** The fields of an `application/x-www-form-urlencoded` body read as a raw buffer. */
export function formFields(body: unknown): URLSearchParams {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  return new URLSearchParams(text);
}
