/**
 * CSV files people open in a spreadsheet: UTF-8 with a byte-order mark (without it Excel reads
 * Chinese as another encoding), CRLF line ends, fields quoted where they hold a comma, a quote or
 * a line break (RFC 4180).
 */
const BOM = "\uFEFF";

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(header: string[], rows: string[][]): string {
  return BOM + [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

/** Offers the text as a file download (nothing is kept in the browser). */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
