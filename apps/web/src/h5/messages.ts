export const messages = {
  'zh-CN': { title: '宁波消费券' },
  en: { title: 'Ningbo consumption vouchers' },
};
