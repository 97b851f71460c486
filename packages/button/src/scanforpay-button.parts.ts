import { html, nothing, type TemplateResult } from 'lit';
import type { Item } from './api-client.js';
import { formatMoney } from './format-money.js';
import type { Wallet } from './wallets.js';

/** The in-app browser notice the proxy offers for this context, with its copy-link button. */
export function noticePart(item: Item | undefined): TemplateResult | typeof nothing {
  return item?.notice
    ? html`<p part="notice" role="note">
        ${item.notice}${
          item.copy
            ? html` <button
                type="button"
                @click=${() => navigator.clipboard.writeText(location.href)}
              >
                ${item.copy}
              </button>`
            : nothing
        }
      </p>`
    : nothing;
}

/** The wallet tiles: a radio each, with its mark, name and the proxy's one-line hint. */
export function walletsPart(
  item: Item | undefined,
  wallet: Wallet | undefined,
  off: boolean,
  endpoint: string,
  choose: (event: Event) => void,
): TemplateResult | typeof nothing {
  const offered = item?.wallets ?? [];
  return offered.length > 1
    ? html`<div part="wallets" role="radiogroup" aria-label=${item?.method}>
        ${offered.map(
          (w) =>
            html`<label part="wallet"
              ><input
                type="radio"
                name="wallet"
                .value=${w}
                .checked=${w === wallet}
                ?disabled=${off}
                @change=${choose}
              /><img part="mark ${w}" src="${endpoint}/wallets/${w}.svg" alt="" /><span
                >${item?.names?.[w] ?? w}<small>${item?.hints?.[w]}</small></span
              ></label
            >`,
        )}
      </div>`
    : nothing;
}

/** The desktop "pay on your phone" dialog: the proxy's QR of the pay URL and the live status. */
export function dialogPart(
  item: Item | undefined,
  endpoint: string,
  open: { orderId: string; payUrl: string } | undefined,
  closed: () => void,
  settled: (event: CustomEvent<{ orderId: string; status: string }>) => void,
): TemplateResult | typeof nothing {
  return open
    ? html`<dialog part="dialog" aria-labelledby="scan" @close=${closed}>
        <p id="scan">${item?.scan}</p>
        <img part="qr" src="${endpoint}/orders/${open.orderId}/qr.svg" alt="" width="200" />
        <scanforpay-result
          .order=${open.orderId}
          .endpoint=${endpoint}
          .maxInterval=${3000}
          @scanforpay-status=${settled}
        ></scanforpay-result>
        <a href=${open.payUrl}>${item?.here}</a>
        <form method="dialog"><button>${item?.close}</button></form>
      </dialog>`
    : nothing;
}

/**
 * The amount field of an open-amount item: its label, the shopper's text (or the amount a
 * script set, a suggested amount), and the bounds in the proxy's words under it, which the field
 * names as its description and which turn into the error while the text is not an amount
 * within them (`unit` undefined).
 */
export function amountPart(
  item: Item,
  typed: string | undefined,
  amount: number | undefined,
  unit: number | undefined,
  off: boolean,
  input: (event: Event) => void,
): TemplateResult {
  const digits = item.digits;
  const text = typed ?? (Number.isInteger(amount) ? (amount! / 10 ** digits!).toFixed(digits) : '');
  const invalid = !!text && unit === undefined;
  return html`<label part="amount"
    >${item.label}<input
      inputmode="decimal"
      autocomplete="off"
      .value=${text}
      ?disabled=${off}
      aria-invalid=${invalid}
      aria-describedby="range"
      @input=${input}
    /><small id="range" part=${invalid ? 'range invalid' : 'range'}>${item.range}</small></label
  >`;
}

/** The price in the button: the total, once the amount is known. */
export function priceText(
  item: Item | undefined,
  unit: number | undefined,
  quantity: number | undefined,
  lang: string,
): string {
  return item && unit !== undefined
    ? formatMoney(unit * (quantity ?? 1), item.currency, lang, item.digits ?? 2)
    : '';
}
