export const CATALOG = {
  items: [
    {
      id: 'tee-red',
      title: 'Red tee',
      amount: 19900,
      currency: 'HKD',
      wallets: ['AlipayHK', 'Alipay', 'Wechat'],
    },
    { id: 'donation', title: 'Donation', currency: 'HKD', min: 1000, max: 500000 },
    { id: 'mug', title: '馬克杯', amount: 8800, currency: 'HKD', wallets: ['Wechat'] },
  ],
};
