/** A partner (merchant account) the sandbox knows, with its one store. */
export interface PartnerConfig {
  partnerNo: string;
  storeNo: string;
  signKey: string;
  /** Shown on the cashier page. Default "ScanForPay Sandbox Shop". */
  merchantName?: string;
  /** Currencies the merchant is configured for. Default HKD, CNY, RMB, USD. */
  currencies?: readonly string[];
}

export interface Partner {
  readonly partnerNo: string;
  readonly storeNo: string;
  readonly signKey: string;
  readonly merchantName: string;
  readonly currencies: readonly string[];
}

export const DEFAULT_MERCHANT_NAME = 'ScanForPay Sandbox Shop';
export const DEFAULT_CURRENCIES: readonly string[] = ['HKD', 'CNY', 'RMB', 'USD'];

/** The documented sandbox credentials; public on purpose, never use them in production. */
export const DEFAULT_PARTNER: Partner = {
  partnerNo: '100000000000001',
  storeNo: '200000000000001',
  signKey: 'sandbox-demo-sign-key',
  merchantName: DEFAULT_MERCHANT_NAME,
  currencies: DEFAULT_CURRENCIES,
};

const CURRENCY = /^[A-Z]{3}$/;

/** Fills in defaults and checks the partner list; throws a `TypeError` naming the bad entry. */
export function resolvePartners(configs: readonly PartnerConfig[] | undefined): Partner[] {
  if (configs === undefined) return [DEFAULT_PARTNER];
  if (configs.length === 0) throw new TypeError('partners: give at least one partner');
  const seen = new Set<string>();
  return configs.map((config, i) => {
    const where = `partners[${i}]`;
    checkId(config.partnerNo, `${where}.partnerNo`);
    checkId(config.storeNo, `${where}.storeNo`);
    if (typeof config.signKey !== 'string' || config.signKey.length === 0) {
      throw new TypeError(`${where}.signKey: a non-empty string is required`);
    }
    if (seen.has(config.partnerNo)) {
      throw new TypeError(`${where}.partnerNo: ${config.partnerNo} is listed twice`);
    }
    seen.add(config.partnerNo);
    const currencies = config.currencies ?? DEFAULT_CURRENCIES;
    if (currencies.length === 0 || currencies.some((c) => !CURRENCY.test(c))) {
      throw new TypeError(`${where}.currencies: three-letter upper-case codes such as HKD`);
    }
    return {
      partnerNo: config.partnerNo,
      storeNo: config.storeNo,
      signKey: config.signKey,
      merchantName: config.merchantName ?? DEFAULT_MERCHANT_NAME,
      currencies: [...currencies],
    };
  });
}

function checkId(value: unknown, where: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 15) {
    throw new TypeError(`${where}: 1 to 15 characters are required`);
  }
}
