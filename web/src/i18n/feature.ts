/**
 * A part of the app's strings in both languages, kept next to each other so parts of the app can
 * add their words without touching each other's. English must have exactly the Chinese keys; the
 * spread of every part into zh-CN.ts and en.ts makes `t()`'s typed keys.
 */
export function featureMessages<const Z extends Record<string, string>>(zhCN: Z, en: Record<keyof Z, string>) {
  return { zhCN, en };
}
