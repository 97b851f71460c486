/** The wallet values the proxy API accepts, in the order they are offered by default. */
export const WALLETS = ['Alipay', 'AlipayHK', 'Wechat'] as const;

export type Wallet = (typeof WALLETS)[number];
