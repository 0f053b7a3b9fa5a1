/**
 * The one way the app words anything: `t(key, values)` with typed keys (zh-CN.ts), and numbers,
 * amounts and times formatted with Intl for the chosen language. Chinese is the default; the
 * choice is kept in localStorage (it is a display preference, nothing about a resident) and can be
 * given in the address as ?lang=en or ?lang=zh-CN.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { en } from "./en";
import { zhCN, type MessageKey } from "./zh-CN";
import { readPreference, writePreference } from "../preferences";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const MESSAGES: Record<Language, Record<MessageKey, string>> = { "zh-CN": zhCN, en };

export type Values = Record<string, string | number>;

export interface I18n {
  lang: Language;
  setLang(lang: Language): void;
  t(key: MessageKey, values?: Values): string;
  /** As t, with React nodes put in for the placeholders (links, addresses). */
  tNodes(key: MessageKey, values: Record<string, ReactNode>): ReactNode[];
  /** Whether a key exists: for words looked up by a name read from the chain (events, functions). */
  has(key: string): key is MessageKey;
  number(value: bigint | number | string): string;
  percent(value: number): string;
  dateTime(unixSeconds: number): string;
}

function fill(template: string, values: Values = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function initialLanguage(): Language {
  const asked = new URLSearchParams(window.location.search).get("lang");
  if (asked && (LANGUAGES as readonly string[]).includes(asked)) return asked as Language;
  const kept = readPreference("lang");
  return kept && (LANGUAGES as readonly string[]).includes(kept) ? (kept as Language) : "zh-CN";
}

export function createI18n(lang: Language, setLang: (lang: Language) => void): I18n {
  const messages = MESSAGES[lang];
  const numbers = new Intl.NumberFormat(lang);
  const percents = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 });
  const times = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
  return {
    lang,
    setLang,
    t: (key, values) => fill(messages[key], values),
    tNodes(key, values) {
      return messages[key].split(/(\{\w+\})/).map((part) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1];
        return name && name in values ? values[name] : part;
      });
    },
    has: (key): key is MessageKey => key in messages,
    number: (value) => numbers.format(typeof value === "string" ? BigInt(value) : value),
    percent: (value) => percents.format(value),
    dateTime: (unixSeconds) => times.format(new Date(unixSeconds * 1000)),
  };
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Language>(initialLanguage);
  const i18n = useMemo(
    () =>
      createI18n(lang, (next) => {
        writePreference("lang", next);
        setLangState(next);
      }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t("app.name");
  }, [lang, i18n]);
  return <I18nContext.Provider value={i18n}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error("useI18n outside I18nProvider");
  return i18n;
}

export type { MessageKey };
