/**
 * What one ledger event says, in words: a sentence for the events that move points (who, how many,
 * of which kind), and the decoded arguments for the rest.
 */
import type { DecodedValue, LedgerEventEntry } from "@city-points/sdk/wire";
// The SDK's one unpacking of agreement ids (no Node built-ins); to move to its browser entry with the rest.
import { agreementDomains } from "@city-points/sdk/resident";
import { useI18n } from "../i18n/i18n";
import { Amount, Hex } from "./Bits";
import { domainName, type DomainLike } from "./names";

export function ArgValue({ value }: { value: DecodedValue }) {
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40,}$/.test(value)) return <Hex value={value} />;
  if (typeof value === "string" && /^[0-9]+$/.test(value)) return <Amount value={value} />;
  if (typeof value === "number") return <Amount value={value} />;
  if (typeof value === "boolean") return <BooleanWord value={value} />;
  if (value === null) return null;
  if (typeof value === "object") {
    return (
      <ul className="args">
        {Object.entries(value).map(([name, v]) => (
          <li key={name}>
            <span className="arg-name" translate="no">
              {name}
            </span>{" "}
            <ArgValue value={v as DecodedValue} />
          </li>
        ))}
      </ul>
    );
  }
  return (
    <span className="hex" translate="no">
      {value}
    </span>
  );
}

function BooleanWord({ value }: { value: boolean }) {
  const { t } = useI18n();
  return <>{t(value ? "common.yes" : "common.no")}</>;
}

export function EventDetails({ event, domains }: { event: LedgerEventEntry; domains: DomainLike[] }) {
  const i18n = useI18n();
  const a = event.args as Record<string, DecodedValue>;
  const points = (amount: DecodedValue, domainId: number) => i18n.tNodes("detail.points", { amount: <Amount value={String(amount)} />, domain: domainName(i18n, domains, domainId) });
  const hex = (v: DecodedValue) => <Hex value={String(v)} />;
  switch (event.name) {
    case "PointsIssued":
      return <span>{i18n.tNodes("detail.PointsIssued", { issuer: hex(a.issuer), resident: hex(a.resident), amount: <>{points(a.amount, Number(a.domainId))}</> })}</span>;
    case "PointsRedeemed":
      return <span>{i18n.tNodes("detail.PointsRedeemed", { resident: hex(a.resident), partner: hex(a.partner), amount: <>{points(a.amount, Number(a.domainId))}</> })}</span>;
    case "PointsTransferred":
      return <span>{i18n.tNodes("detail.PointsTransferred", { from: hex(a.from), to: hex(a.to), amount: <>{points(a.amount, Number(a.domainId))}</> })}</span>;
    case "PointsExchanged": {
      const { fromDomain: from, toDomain: to } = agreementDomains(BigInt(String(a.agreementId)));
      return (
        <span>
          {i18n.tNodes("detail.PointsExchanged", {
            resident: hex(a.resident),
            amountIn: <Amount value={String(a.amountIn)} />,
            from: domainName(i18n, domains, from),
            amountOut: <Amount value={String(a.amountOut)} />,
            to: domainName(i18n, domains, to),
          })}
        </span>
      );
    }
    default:
      return <ArgValue value={a} />;
  }
}
