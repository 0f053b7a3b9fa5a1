/**
 * The app's shell: a skip link, the header with the language and large-text switches, the main
 * navigation, and one page per route. Pages are loaded when first opened, so a phone downloads
 * only what the page it opens needs.
 */
import { lazy, Suspense, useEffect, useState } from "react";
import { Link, Route, Switch, useLocation } from "wouter";
import { Loading } from "./components/Bits";
import { LANGUAGES, useI18n, type Language } from "./i18n/i18n";
import { readPreference, writePreference } from "./preferences";
import { paths } from "./paths";
import { SessionProvider } from "./resident/session";

const HomePage = lazy(() => import("./pages/HomePage"));
const OverviewPage = lazy(() => import("./pages/OverviewPage"));
const AgreementsPage = lazy(() => import("./pages/AgreementsPage"));
const SettlementsPage = lazy(() => import("./pages/SettlementsPage"));
const SettlementPage = lazy(() => import("./pages/SettlementPage"));
const DomainPage = lazy(() => import("./pages/DomainPage"));
const DomainPeriodPage = lazy(() => import("./pages/DomainPeriodPage"));
const TransactionPage = lazy(() => import("./pages/TransactionPage"));
const WalletPage = lazy(() => import("./pages/wallet/WalletPage"));
const AccountPage = lazy(() => import("./pages/wallet/AccountPage"));
const ExchangePage = lazy(() => import("./pages/wallet/ExchangePage"));
const PayPage = lazy(() => import("./pages/wallet/PayPage"));
const VerifyPage = lazy(() => import("./pages/verify/VerifyPage"));
const StationPage = lazy(() => import("./pages/station/StationPage"));
const NotFoundPage = lazy(() => import("./pages/NotFoundPage"));
const PartnersPage = lazy(() => import("./pages/partner/PartnersPage"));
const CheckoutPage = lazy(() => import("./pages/partner/CheckoutPage"));

const LANGUAGE_NAMES: Record<Language, string> = { "zh-CN": "中文", en: "English" };

function useLargeText(): [boolean, (on: boolean) => void] {
  const [large, setLarge] = useState(() => readPreference("textSize") === "large");
  useEffect(() => {
    document.documentElement.classList.toggle("large-text", large);
  }, [large]);
  return [large, (on) => {
    writePreference("textSize", on ? "large" : "normal");
    setLarge(on);
  }];
}

function Header() {
  const { t, lang, setLang } = useI18n();
  const [large, setLarge] = useLargeText();
  const [location] = useLocation();
  const nav = [
    { href: paths.home, label: t("nav.home"), current: location === paths.home },
    { href: paths.wallet, label: t("wallet.nav"), current: location.startsWith(paths.wallet) || location === paths.pay },
    { href: paths.overview, label: t("nav.overview"), current: location === paths.overview || location.startsWith("/ledger/domains") || location.startsWith("/ledger/tx") },
    { href: paths.agreements, label: t("nav.agreements"), current: location.startsWith(paths.agreements) },
    { href: paths.settlements, label: t("nav.settlements"), current: location.startsWith(paths.settlements) },
    { href: paths.verify, label: t("nav.verify"), current: location === paths.verify },
  ];
  return (
    <header className="site-header">
      <div className="header-row">
        <Link href={paths.home} className="site-name">
          {t("app.name")}
        </Link>
        <div className="settings" role="group" aria-label={t("settings.label")}>
          <div className="language" role="group" aria-label={t("settings.language")}>
            {LANGUAGES.map((l) => (
              <button key={l} type="button" className="toggle" lang={l} aria-pressed={lang === l} onClick={() => setLang(l)} translate="no">
                {LANGUAGE_NAMES[l]}
              </button>
            ))}
          </div>
          <button type="button" className="toggle" aria-pressed={large} onClick={() => setLarge(!large)}>
            {t("settings.largeText")}
          </button>
        </div>
      </div>
      <nav aria-label={t("nav.label")} className="site-nav">
        <ul>
          {nav.map((n) => (
            <li key={n.href}>
              <Link href={n.href} aria-current={n.current ? "page" : undefined}>
                {n.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

export function App() {
  const { t } = useI18n();
  const [location] = useLocation();
  // In braces: Chromium's scrollTo returns a promise, and an effect may return only its cleanup.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location]);
  return (
    <>
      <a href="#main" className="skip-link">
        {t("app.skip")}
      </a>
      <Header />
      <main id="main" tabIndex={-1}>
        <SessionProvider>
        <Suspense fallback={<Loading />}>
          <Switch>
            <Route path={paths.home} component={HomePage} />
            <Route path={paths.overview} component={OverviewPage} />
            <Route path={paths.agreements} component={AgreementsPage} />
            <Route path={paths.settlements} component={SettlementsPage} />
            <Route path="/ledger/settlements/:period" component={SettlementPage} />
            <Route path="/ledger/domains/:id" component={DomainPage} />
            <Route path="/ledger/domains/:id/periods/:period" component={DomainPeriodPage} />
            <Route path="/ledger/tx/:hash" component={TransactionPage} />
            <Route path={paths.wallet} component={WalletPage} />
            <Route path={paths.walletAccount} component={AccountPage} />
            <Route path={paths.walletExchange} component={ExchangePage} />
            <Route path={paths.pay} component={PayPage} />
            <Route path={paths.partners} component={PartnersPage} />
            <Route path="/partners/:address" component={CheckoutPage} />
            <Route path={paths.verify} component={VerifyPage} />
            <Route path={paths.station} component={StationPage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
        </SessionProvider>
      </main>
      <footer className="site-footer">
        <p>{t("app.footer")}</p>
      </footer>
    </>
  );
}
