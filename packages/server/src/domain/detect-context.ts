import type { CheckoutContext } from './checkout-context.js';

/**
 * The shopper's context from the `User-Agent` of the button's item request (the shopper's
 * own browser sends it) and `coarse`, whether the page's primary pointer is coarse (a touch
 * screen), which only the page knows. In-app browsers first: each names itself in the user
 * agent (WeChat `MicroMessenger`, the Alipay apps `AlipayClient`/`AlipayHKClient`, Instagram, Facebook and
 * Messenger `FBAN`/`FBAV`, WhatsApp, Line, TikTok `musical_ly`/`Bytedance`, Telegram). Then
 * a phone or tablet by its user agent or, for an iPad that asks for desktop sites ("Macintosh"),
 * by its coarse pointer. The viewport is not used: a narrow window on a computer is still a
 * computer that cannot pay itself. Everything else is a computer.
 */
export function detectContext(userAgent: string, coarse: boolean): CheckoutContext {
  if (/MicroMessenger/i.test(userAgent)) return 'wechat';
  if (/Alipay(HK)?Client|AliApp\(/i.test(userAgent)) return 'alipay';
  if (
    /Instagram|FBA[NV]\/|FB_IAB|Messenger|WhatsApp|\bLine\/|musical_ly|Bytedance|TikTok|Telegram/i.test(
      userAgent,
    )
  ) {
    return 'social';
  }
  if (coarse || /Mobi|Android|iPhone|iPad|iPod/i.test(userAgent)) return 'mobile';
  return 'desktop';
}
