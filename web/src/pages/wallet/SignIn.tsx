/** Sign in with the phone's passkey (one tap), or create one: the way into every wallet page. */
import { useState } from "react";
import { useI18n, type MessageKey } from "../../i18n/i18n";
import { signIn, signUp } from "../../resident/passkey";
import { refusalOf } from "../../resident/refusals";
import { useSession } from "../../resident/session";

export function SignIn() {
  const { t } = useI18n();
  const { setSession } = useSession();
  const [state, setState] = useState<{ working?: "signIn" | "signUp"; refusal?: MessageKey }>({});
  const run = (which: "signIn" | "signUp") => {
    setState({ working: which });
    (which === "signIn" ? signIn() : signUp()).then(
      (session) => setSession(session),
      (error: unknown) => setState({ refusal: refusalOf(error) }),
    );
  };
  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t("wallet.signIn.title")}</h2>
      <p>{t("wallet.signIn.text")}</p>
      <div className="actions">
        <button type="button" className="button" disabled={!!state.working} onClick={() => run("signIn")}>
          {t("wallet.signIn")}
        </button>
        <button type="button" className="button secondary" disabled={!!state.working} onClick={() => run("signUp")}>
          {t("wallet.signUp")}
        </button>
      </div>
      <p className="section-text">{t("wallet.signUp.text")}</p>
      {state.working && (
        <p className="notice" role="status">
          {t(state.working === "signIn" ? "wallet.signIn.working" : "wallet.signUp.working")}
        </p>
      )}
      {state.refusal && (
        <p className="notice notice-error" role="alert">
          {t(state.refusal)}
        </p>
      )}
    </section>
  );
}
