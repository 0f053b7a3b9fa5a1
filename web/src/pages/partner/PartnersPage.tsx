/** The partner directory: every partner an agency named, with its domain and its checkout link. */
import { Link } from "wouter";
import type { PartnerEntry } from "@city-points/sdk/wire";
import { ledgerApi } from "../../api/ledger";
import { partnersApi } from "../../api/partners";
import { useResource } from "../../api/useResource";
import { Failure, Hex, Loading } from "../../components/Bits";
import { DataTable, type Column } from "../../components/DataTable";
import { domainName } from "../../components/names";
import { useI18n } from "../../i18n/i18n";
import { paths } from "../../paths";

export default function PartnersPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const list = useResource(async (signal) => {
    const [directory, overview] = await Promise.all([partnersApi.list(signal), ledgerApi.overview(signal)]);
    return { partners: directory.partners, domains: overview.domains };
  }, "partners");
  const columns = (domains: { id: number; name: string }[]): Column<PartnerEntry>[] => [
    { header: t("partners.name"), cell: (p) => (
        <Link href={paths.partner(p.address)} translate="no">
          {p.name}
        </Link>
      ), csv: (p) => p.name },
    { header: t("partners.domain"), cell: (p) => domainName(i18n, domains, p.domainId), csv: (p) => domainName(i18n, domains, p.domainId) },
    { header: t("partners.address"), cell: (p) => <Hex value={p.address} />, csv: (p) => p.address },
  ];
  return (
    <>
      <h1>{t("partners.title")}</h1>
      <p className="lead">{t("partners.intro")}</p>
      {list.state === "loading" && <Loading />}
      {list.state === "error" && <Failure error={list.error} retry={list.reload} />}
      {list.state === "ok" &&
        (list.data.partners.length === 0 ? (
          <p>{t("partners.none")}</p>
        ) : (
          <DataTable caption={t("partners.title")} columns={columns(list.data.domains)} rows={list.data.partners} fileName="partners.csv" rowKey={(p) => `${p.domainId}:${p.address}`} />
        ))}
    </>
  );
}
