/** What the global setup tells the test files about the running stack. */
export interface StackInfo {
  /** The storefront, http://localhost:<port>. */
  storefront: string;
  /** The signing proxy, http://localhost:<port>. */
  proxy: string;
  /** The local ScanForPay, http://127.0.0.1:<port>. */
  sandbox: string;
  /** The proxy's SQLite file, read to count stored orders. */
  databasePath: string;
  /** Every line sandbox, proxy and storefront printed, for the message of a test that fails. */
  logPath: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
  }
}
