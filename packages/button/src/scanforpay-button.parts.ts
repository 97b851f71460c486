import { html, nothing, type TemplateResult } from 'lit';
import type { Item } from './api-client.js';
import { formatMoney } from './format-money.js';
import type { Strings } from './strings.js';
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
  s: Strings,
  item: Item | undefined,
  offered: Wallet[],
  wallet: Wallet | undefined,
  off: boolean,
  endpoint: string,
  choose: (event: Event) => void,
): TemplateResult | typeof nothing {
  return offered.length > 1
    ? html`<div part="wallets" role="radiogroup" aria-label=${s.method}>
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
                >${s.wallets[w]}<small>${item?.hints?.[w]}</small></span
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

/** The price in the button: the total, or the open amount's range until one is chosen. */
export function priceText(
  item: Item | undefined,
  unit: number | undefined,
  quantity: number | undefined,
  lang: string,
): string {
  if (!item) return '';
  const money = (minor = 0) => formatMoney(minor, item.currency, lang);
  return unit === undefined
    ? `${money(item.min)} – ${money(item.max)}`
    : money(unit * (quantity ?? 1));
}
