/** An address the app has no page for. */
import { Link } from "wouter";
import { useI18n } from "../i18n/i18n";
import { paths } from "../paths";

export default function NotFoundPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.text")}</p>
      <p>
        <Link href={paths.home}>{t("notFound.home")}</Link>
      </p>
    </>
  );
}
