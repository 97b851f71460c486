// The whole Worker: configuration comes from the vars, secrets and D1 binding in wrangler.jsonc.
export { default } from '@scanforpay/server/workers';
