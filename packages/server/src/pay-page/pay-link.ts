import { create } from 'qrcode/lib/core/qrcode.js';
import { render } from 'qrcode/lib/renderer/svg-tag.js';
import { modulesPng } from '../encoding/png.js';
import type { PayLang } from './pay-messages.js';
import type { PayRequest } from './pay-request.js';

/**
 * The canonical payment link of an item: `<publicUrl>/pay/<item>` with the checked parameters
 * in a fixed order (`amount` for open-amount items, `quantity`, `wallet`, `reference`, and
 * `lang` when the link names one).
 */
export function payLinkUrl(
  publicUrl: string,
  itemId: string,
  request: PayRequest,
  lang: PayLang | undefined,
): string {
  const query = new URLSearchParams();
  if (request.amount !== undefined) query.set('amount', String(request.amount));
  if (request.quantity !== undefined) query.set('quantity', String(request.quantity));
  if (request.wallet !== undefined) query.set('wallet', request.wallet);
  if (request.reference !== undefined) query.set('reference', request.reference);
  if (lang !== undefined) query.set('lang', lang);
  const search = query.size > 0 ? `?${query}` : '';
  return `${publicUrl}/pay/${encodeURIComponent(itemId)}${search}`;
}

/** Quiet zone: the 4 modules the QR standard asks for around the symbol. */
const MARGIN = 4;

/** The link's QR code as SVG (drawn by `qrcode`, error correction M). */
export function payLinkSvg(link: string, title: string): string {
  const svg = render(create(link, { errorCorrectionLevel: 'M' }), { margin: MARGIN });
  return svg
    .replace('<svg ', '<svg role="img" ')
    .replace(/>/, `><title>${escapeXml(title)}</title>`);
}

/** The link's QR code as a black-and-white PNG, 8 pixels a module. */
export function payLinkPng(link: string): Promise<Uint8Array> {
  const { modules } = create(link, { errorCorrectionLevel: 'M' });
  return modulesPng(modules.size, (row, column) => !!modules.get(row, column), {
    scale: 8,
    margin: MARGIN,
  });
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
