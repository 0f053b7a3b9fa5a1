/**
 * A table of figures with its caption and a button that downloads it as CSV, with the headers in
 * the language shown. On a phone each row becomes a card whose cells carry their column's name, so
 * nothing scrolls sideways; explicit ARIA roles keep it a table for screen readers either way.
 */
import { useState, type ReactNode } from "react";
import { useI18n } from "../i18n/i18n";
import { downloadCsv, toCsv } from "./csv";

export interface Column<R> {
  header: string;
  /** What the cell shows. */
  cell(row: R): ReactNode;
  /** What the CSV file holds (plain digits for amounts, full addresses). */
  csv(row: R): string;
  numeric?: boolean;
}

export function DataTable<R>({ caption, columns, rows, fileName, rowKey }: { caption: string; columns: Column<R>[]; rows: R[]; fileName: string; rowKey(row: R): string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  const download = () => {
    downloadCsv(fileName, toCsv(columns.map((c) => c.header), rows.map((r) => columns.map((c) => c.csv(r)))));
    setDone(true);
  };
  return (
    <div className="table-block">
      <table className="data-table" role="table">
        <caption>{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((c) => (
              <th key={c.header} scope="col" role="columnheader" className={c.numeric ? "num" : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {rows.map((r) => (
            <tr key={rowKey(r)} role="row">
              {columns.map((c) => (
                <td key={c.header} role="cell" data-label={c.header} className={c.numeric ? "num" : undefined}>
                  {c.cell(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="table-actions">
        <button type="button" className="button secondary" onClick={download} data-csv={fileName}>
          {t("common.csv")}
        </button>
        <span role="status" className="csv-status">
          {done ? t("common.csvDone", { file: fileName }) : ""}
        </span>
      </p>
    </div>
  );
}
