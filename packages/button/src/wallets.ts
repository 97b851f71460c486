/** The wallet values the proxy API accepts, in the order they are offered by default. */
export const WALLETS = ['Alipay', 'AlipayHK', 'Wechat'] as const;

export type Wallet = (typeof WALLETS)[number];

/** The `wallets` attribute: names separated by spaces or commas, checked by the proxy. */
export const walletList = {
  fromAttribute: (value: string | null) => value?.split(/[\s,]+/) as Wallet[] | undefined,
};
