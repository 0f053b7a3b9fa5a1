/** How domains, agreements, events and calls are named on the page, in the chosen language. */
import type { I18n, MessageKey } from "../i18n/i18n";

export interface DomainLike {
  id: number;
  name: string;
}

/** The demo city's four domains have names in every language; another domain shows the name the council gave it. */
export function domainName(i18n: I18n, domains: DomainLike[], id: number): string {
  const d = domains.find((x) => x.id === id);
  if (!d) return i18n.t("domain.numbered", { id });
  const key = `domain.${d.name}`;
  return i18n.has(key) ? i18n.t(key) : d.name;
}

export function agreementName(i18n: I18n, domains: DomainLike[], fromDomain: number, toDomain: number): string {
  return i18n.t("agreement.name", { from: domainName(i18n, domains, fromDomain), to: domainName(i18n, domains, toDomain) });
}

export function eventName(i18n: I18n, name: string): string {
  const key = `event.${name}`;
  return i18n.t(i18n.has(key) ? key : ("event.other" satisfies MessageKey));
}

export function functionName(i18n: I18n, name: string): string {
  const key = `fn.${name}`;
  return i18n.t(i18n.has(key) ? key : ("fn.other" satisfies MessageKey));
}
