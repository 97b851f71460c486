import { DEFAULTS } from '../../config/defaults.js';

export const ADMIN_USAGE = `Usage: scanforpay-proxy [command] [options]

With no command, starts the proxy (configured by the environment and ./.env).

Commands (they call a running proxy; all but link use its /admin routes with ADMIN_TOKEN):
  orders [--status S] [--limit N] [--before ID]   list orders, newest first
  order <orderId>                                  show an order, its refunds, events, notifications
  refund <orderId> [amount] [--refund-no R] [--reason TEXT]
                                                   refund an order; amount in major units (12.50),
                                                   default everything not yet refunded; repeat a
                                                   refund with the same --refund-no to retry it
  webhook [enable]                                 show the merchant webhook, or re-enable it
  webhook test [--type order.paid]                 send a signed sample event to the webhook now
                                                   and print the receiver's status and answer
  events show <eventId>                            show a merchant event and its delivery
  events resend <eventId> [--no-wait]              send an event again and follow its delivery
  trigger <event> [--item ID] [--wallet W] [--sandbox URL]
                                                   the real flow on the local sandbox: order.paid,
                                                   order.failed, order.refunded,
                                                   order.partially_refunded (never on production;
                                                   the sandbox is SCANFORPAY_API_URL)
  webhook-secret                                   print a new MERCHANT_WEBHOOK_SECRET (whsec_…)
  link <item> [--amount 50.00] [--quantity N] [--wallet W] [--lang L] [--reference R] [--out qr.svg]
                                                   print the item's payment link (its hosted pay
                                                   page) and write its QR code (.svg or .png);
                                                   --amount fixes an open item's amount, else the
                                                   shopper types it; no ADMIN_TOKEN needed

Options:
  --url URL   the proxy (default PROXY_URL, else http://${DEFAULTS.host}:$PORT, PORT default ${DEFAULTS.port})
  --json      print the proxy's JSON answer
  --help      this text

Environment (or ./.env): ADMIN_TOKEN (required for the admin calls), PROXY_URL, PORT;
trigger also reads SCANFORPAY_API_URL and CATALOG (its default item: the first one).
Exit codes: 0 done, 1 failed (one line on stderr), 2 bad arguments (nothing sent).
`;
