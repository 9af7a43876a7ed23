/**
 * HTML for each corpus document: the layouts and national formats of real
 * bills (dates, amounts, labels), filled from the ground truth.
 */
import type { BillTruth } from './truth';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function parts(isoDate: string): [number, number, number] {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return [y, m, d];
}
const p2 = (n: number) => String(n).padStart(2, '0');

type DateStyle = 'long-us' | 'long-gb' | 'short-gb' | 'mdy' | 'dmy' | 'dmy-dot' | 'iso' | 'ja' | 'ja-pad' | 'reiwa' | 'ja-slash';
export function fmtDate(isoDate: string, style: DateStyle): string {
  const [y, m, d] = parts(isoDate);
  switch (style) {
    case 'long-us': return `${MONTHS[m - 1]} ${d}, ${y}`;
    case 'long-gb': return `${d} ${MONTHS[m - 1]} ${y}`;
    case 'short-gb': return `${d} ${MONTHS[m - 1]!.slice(0, 3)} ${y}`;
    case 'mdy': return `${p2(m)}/${p2(d)}/${y}`;
    case 'dmy': return `${p2(d)}/${p2(m)}/${y}`;
    case 'dmy-dot': return `${p2(d)}.${p2(m)}.${y}`;
    case 'iso': return isoDate;
    case 'ja': return `${y}年${m}月${d}日`;
    case 'ja-pad': return `${y}年${p2(m)}月${p2(d)}日`;
    case 'reiwa': return `令和${y - 2018}年${m}月${d}日`;
    case 'ja-slash': return `${y}/${p2(m)}/${p2(d)}`;
  }
}

function group(intPart: string, sep: string): string {
  return intPart.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
}
export function fmtMoney(n: number, country: BillTruth['country'], variant = 0): string {
  const [i, f] = n.toFixed(2).split('.') as [string, string];
  switch (country) {
    case 'US': return `$${group(i, ',')}.${f}`;
    case 'CA': return `$${group(i, ',')}.${f}`;
    case 'AU': return `$${group(i, ',')}.${f}`;
    case 'GB': return `£${group(i, ',')}.${f}`;
    case 'DE': return `${group(i, '.')},${f} €`;
    case 'JP': return variant === 1 ? `${group(String(Math.round(n)), ',')}円` : `¥${group(String(Math.round(n)), ',')}`;
  }
}

const BASE_CSS = `
  * { box-sizing: border-box; }
  body { margin: 0; background: #fff; color: #111; }
  .doc { background: #fff; padding: 36px 44px; }
  table { border-collapse: collapse; width: 100%; }
  td, th { padding: 6px 4px; text-align: left; vertical-align: top; }
  td.amt, th.amt { text-align: right; white-space: nowrap; }
  .muted { color: #555; }
  .row { display: flex; justify-content: space-between; gap: 24px; }
`;

function page(css: string, body: string, font: string, width: number): string {
  return `<!doctype html><html><head><meta charset="utf-8"><style>${BASE_CSS}
  body { font-family: ${font}; } .doc { width: ${width}px; } ${css}</style></head><body><div class="doc">${body}</div></body></html>`;
}

function itemsTable(t: BillTruth, head: [string, string], variant = 0): string {
  const rows = t.items.map((i) => `<tr><td>${esc(i.description)}</td><td class="amt">${fmtMoney(i.amount, t.country, variant)}</td></tr>`).join('');
  return `<table><thead><tr style="border-bottom:2px solid #333"><th>${head[0]}</th><th class="amt">${head[1]}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function totalsBlock(rows: Array<[string, string, boolean?]>): string {
  return `<table style="width:60%;margin-left:40%;margin-top:10px">${rows.map(([l, v, strong]) =>
    `<tr style="${strong ? 'font-weight:700;font-size:1.15em;border-top:2px solid #333' : ''}"><td>${l}</td><td class="amt">${v}</td></tr>`).join('')}</table>`;
}

const SANS = `'Liberation Sans', 'DejaVu Sans', sans-serif`;
const MONO = `'DejaVu Sans Mono', monospace`;
const JA = `'Noto Sans CJK JP', 'Noto Serif CJK JP', sans-serif`;

function englishStatement(t: BillTruth): string {
  const ds: DateStyle = t.country === 'US' ? 'long-us' : t.country === 'GB' ? 'long-gb' : t.country === 'DE' ? 'dmy-dot' : t.country === 'AU' ? 'short-gb' : 'iso';
  const dsShort: DateStyle = t.country === 'US' ? 'mdy' : t.country === 'DE' ? 'dmy-dot' : t.country === 'CA' ? 'iso' : 'dmy';
  const m = (n: number) => fmtMoney(n, t.country);
  const taxLabel = t.country === 'GB' || t.country === 'DE' ? `VAT ${t.country === 'DE' ? '19' : '20'}%` : t.country === 'AU' ? 'GST 10%' : t.country === 'CA' ? 'HST 13%' : 'Sales tax';
  const totalLabel = t.layout === 'invoice' ? 'Total due' : t.layout === 'phone' ? 'Total amount due' : 'Amount due';
  const totalValue = t.country === 'AU' ? `AUD ${m(t.total)}` : t.country === 'CA' ? `CAD ${m(t.total)}` : m(t.total);
  const title = t.layout === 'invoice' ? 'INVOICE' : t.layout === 'phone' ? 'Your monthly statement' : 'Electricity &amp; services bill';
  const accent = t.layout === 'phone' ? '#0a5' : t.layout === 'utility' ? '#036' : '#603';
  const body = `
    <div class="row" style="border-bottom:4px solid ${accent};padding-bottom:12px">
      <div><div style="font-size:30px;font-weight:700;color:${accent}">${esc(t.vendor)}</div>
      <div class="muted">Customer service 1-800-555-0199</div></div>
      <div style="text-align:right;font-size:22px;font-weight:700">${title}</div>
    </div>
    <table style="margin:18px 0;width:70%">
      <tr><td>Account number</td><td>${t.accountNumber}</td></tr>
      <tr><td>Invoice number</td><td>${t.invoiceNumber}</td></tr>
      <tr><td>Invoice date</td><td>${fmtDate(t.issueDate, ds)}</td></tr>
      <tr><td>Billing period</td><td>${fmtDate(t.periodStart!, dsShort)} - ${fmtDate(t.periodEnd!, dsShort)}</td></tr>
      <tr><td>Due date</td><td>${fmtDate(t.dueDate!, dsShort)}</td></tr>
    </table>
    ${itemsTable(t, ['Description', 'Amount'])}
    ${totalsBlock([['Subtotal', m(t.subtotal)], [taxLabel, m(t.tax)], [totalLabel, totalValue, true]])}
    <p class="muted" style="margin-top:24px;font-size:14px">Please pay by the due date to avoid a late fee. Thank you for your business.</p>`;
  return page('.doc { font-size: 19px; }', body, SANS, 860);
}

function englishReceipt(t: BillTruth): string {
  const m = (n: number) => fmtMoney(n, t.country);
  const taxLabel = t.country === 'GB' ? 'VAT 20%' : 'TAX 8%';
  const date = t.country === 'US' ? fmtDate(t.issueDate, 'mdy') : fmtDate(t.issueDate, 'dmy');
  const body = `
    <div style="text-align:center;font-size:24px;font-weight:700">${esc(t.vendor.toUpperCase())}</div>
    <div style="text-align:center">12 High Street</div>
    <div style="text-align:center">${date} 14:32</div>
    <hr>
    ${t.items.map((i) => `<div class="row"><span>${esc(i.description)}</span><span>${m(i.amount)}</span></div>`).join('')}
    <hr>
    <div class="row"><span>SUBTOTAL</span><span>${m(t.subtotal)}</span></div>
    <div class="row"><span>${taxLabel}</span><span>${m(t.tax)}</span></div>
    <div class="row" style="font-weight:700;font-size:22px"><span>TOTAL</span><span>${m(t.total)}</span></div>
    <hr>
    <div>VISA ${t.cardNumber}</div>
    <div style="text-align:center;margin-top:10px">THANK YOU</div>`;
  return page('.doc { font-size: 19px; padding: 24px 22px; } hr { border: 0; border-top: 2px dashed #333; }', body, MONO, 440);
}

function japaneseStatement(t: BillTruth): string {
  const variant = t.layout === 'utility' ? 1 : 0;
  const m = (n: number) => fmtMoney(n, 'JP', variant);
  const ds: DateStyle = t.layout === 'utility' ? 'reiwa' : t.layout === 'phone' ? 'ja' : 'ja-pad';
  const title = t.layout === 'invoice' ? '請求書' : t.layout === 'phone' ? 'ご利用料金のお知らせ' : '電気料金のお知らせ';
  const totalLabel = t.layout === 'invoice' ? 'ご請求金額（税込）' : t.layout === 'phone' ? 'お支払い金額' : 'ご請求金額';
  const accountLabel = t.layout === 'invoice' ? 'お客様番号' : '契約番号';
  const body = `
    <div class="row" style="border-bottom:4px solid #a33;padding-bottom:12px">
      <div style="font-size:30px;font-weight:700">${esc(t.vendor)}</div>
      <div style="font-size:26px;font-weight:700">${title}</div>
    </div>
    <table style="margin:18px 0;width:75%">
      <tr><td>${accountLabel}</td><td>${t.accountNumber}</td></tr>
      <tr><td>請求書番号</td><td>${t.invoiceNumber}</td></tr>
      <tr><td>発行日</td><td>${fmtDate(t.issueDate, ds)}</td></tr>
      <tr><td>ご利用期間</td><td>${fmtDate(t.periodStart!, ds)}～${fmtDate(t.periodEnd!, ds)}</td></tr>
      <tr><td>お支払期限</td><td>${fmtDate(t.dueDate!, ds)}</td></tr>
    </table>
    ${itemsTable(t, ['内訳', '金額'], variant)}
    ${totalsBlock([['小計', m(t.subtotal)], ['消費税（10%）', m(t.tax)], [totalLabel, m(t.total), true]])}
    <p class="muted" style="margin-top:24px;font-size:15px">お支払期限までにお支払いください。</p>`;
  return page('.doc { font-size: 20px; }', body, JA, 860);
}

function japaneseReceipt(t: BillTruth): string {
  const m = (n: number) => fmtMoney(n, 'JP');
  const body = `
    <div style="text-align:center;font-size:26px;font-weight:700">${esc(t.vendor)}</div>
    <div style="text-align:center">領収書</div>
    <div style="text-align:center">${fmtDate(t.issueDate, 'ja-slash')} 18:05</div>
    <hr>
    ${t.items.map((i) => `<div class="row"><span>${esc(i.description)}</span><span>${m(i.amount)}</span></div>`).join('')}
    <hr>
    <div class="row"><span>小計</span><span>${m(t.subtotal)}</span></div>
    <div class="row"><span>消費税（8%）</span><span>${m(t.tax)}</span></div>
    <div class="row" style="font-weight:700;font-size:24px"><span>合計</span><span>${m(t.total)}</span></div>
    <hr>
    <div>クレジット ${t.cardNumber}</div>
    <div style="text-align:center;margin-top:10px">ありがとうございました</div>`;
  return page('.doc { font-size: 20px; padding: 24px 22px; } hr { border: 0; border-top: 2px dashed #333; }', body, JA, 440);
}

export function billHtml(t: BillTruth): string {
  if (t.lang === 'jpn') return t.layout === 'receipt' ? japaneseReceipt(t) : japaneseStatement(t);
  return t.layout === 'receipt' ? englishReceipt(t) : englishStatement(t);
}
