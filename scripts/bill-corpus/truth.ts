/**
 * Ground truth of the generated bill corpus: the documents are built from
 * these records, so every field the extractor should find is known exactly.
 * A seeded PRNG keeps the corpus identical run to run (the cache key is the
 * generator version, not a clock).
 */
import { prng } from '../lib/prng';
export type Country = 'US' | 'GB' | 'DE' | 'AU' | 'JP' | 'CA';
export type Layout = 'receipt' | 'utility' | 'phone' | 'invoice';
export type Lang = 'eng' | 'jpn';

export interface TruthItem { description: string; amount: number }

export interface BillTruth {
  id: string;
  lang: Lang;
  country: Country;
  layout: Layout;
  vendor: string;
  accountNumber?: string;
  invoiceNumber?: string;
  /** ISO yyyy-mm-dd */
  issueDate: string;
  dueDate?: string;
  periodStart?: string;
  periodEnd?: string;
  items: TruthItem[];
  subtotal: number;
  tax: number;
  total: number;
  currency: string;
  /** A full card number printed on the page (the extractor must never return it unmasked). */
  cardNumber?: string;
}

export interface CorpusEntry {
  file: string;
  base: string;
  damage: string;
  truth: BillTruth;
}

export interface CorpusManifest {
  version: number;
  entries: CorpusEntry[];
}

export { prng };

const round2 = (n: number) => Math.round(n * 100) / 100;
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

interface Spec {
  id: string; lang: Lang; country: Country; layout: Layout; vendor: string; currency: string;
  taxRate: number; itemNames: string[]; yen?: boolean; account?: boolean; invoice?: boolean; period?: boolean; card?: boolean;
}

const SPECS: Spec[] = [
  { id: 'us-utility', lang: 'eng', country: 'US', layout: 'utility', vendor: 'Riverside Power & Light', currency: 'USD', taxRate: 0.0625,
    itemNames: ['Basic service charge', 'Energy charge 612 kWh', 'Delivery charge', 'Fuel adjustment'], account: true, invoice: true, period: true },
  { id: 'us-phone', lang: 'eng', country: 'US', layout: 'phone', vendor: 'Bluewave Mobile', currency: 'USD', taxRate: 0.0725,
    itemNames: ['Unlimited Plus plan', 'Device installment 12 of 24', 'International calls', 'Regulatory fee'], account: true, invoice: true, period: true },
  { id: 'us-receipt', lang: 'eng', country: 'US', layout: 'receipt', vendor: 'Corner Market', currency: 'USD', taxRate: 0.08,
    itemNames: ['Whole milk 1 gal', 'Sourdough bread', 'Bananas 2.1 lb', 'Coffee beans', 'Paper towels'], card: true },
  { id: 'gb-receipt', lang: 'eng', country: 'GB', layout: 'receipt', vendor: 'Hartley Stores', currency: 'GBP', taxRate: 0.2,
    itemNames: ['Tea bags 80', 'Cheddar 400g', 'Orange juice', 'Dish soap'], card: true },
  { id: 'gb-phone', lang: 'eng', country: 'GB', layout: 'phone', vendor: 'Northline Telecom', currency: 'GBP', taxRate: 0.2,
    itemNames: ['SIM only 30GB', 'Roaming add-on', 'Premium rate calls'], account: true, invoice: true, period: true },
  { id: 'de-invoice', lang: 'eng', country: 'DE', layout: 'invoice', vendor: 'Kessler Software GmbH', currency: 'EUR', taxRate: 0.19,
    itemNames: ['Support subscription', 'Cloud storage 2 TB', 'Onboarding workshop'], account: true, invoice: true, period: true },
  { id: 'au-utility', lang: 'eng', country: 'AU', layout: 'utility', vendor: 'Harbour Water Co', currency: 'AUD', taxRate: 0.1,
    itemNames: ['Water service charge', 'Water usage 48 kL', 'Sewerage charge'], account: true, invoice: true, period: true },
  { id: 'ca-invoice', lang: 'eng', country: 'CA', layout: 'invoice', vendor: 'Maple Fibre Internet', currency: 'CAD', taxRate: 0.13,
    itemNames: ['Fibre 500 plan', 'Modem rental', 'Static IP'], account: true, invoice: true, period: true },
  { id: 'jp-utility', lang: 'jpn', country: 'JP', layout: 'utility', vendor: '東都電力株式会社', currency: 'JPY', taxRate: 0.1, yen: true,
    itemNames: ['基本料金', '電力量料金', '再エネ発電賦課金'], account: true, invoice: true, period: true },
  { id: 'jp-phone', lang: 'jpn', country: 'JP', layout: 'phone', vendor: 'さくらモバイル', currency: 'JPY', taxRate: 0.1, yen: true,
    itemNames: ['基本プラン', '通話料', 'データ追加'], account: true, invoice: true, period: true },
  { id: 'jp-receipt', lang: 'jpn', country: 'JP', layout: 'receipt', vendor: 'まるやマート', currency: 'JPY', taxRate: 0.08, yen: true,
    itemNames: ['牛乳', '食パン', 'りんご', 'たまご'], card: true },
  { id: 'jp-invoice', lang: 'jpn', country: 'JP', layout: 'invoice', vendor: '株式会社青空システム', currency: 'JPY', taxRate: 0.1, yen: true,
    itemNames: ['保守サービス', 'クラウド利用料', '設定作業'], account: true, invoice: true, period: true },
];

const digits = (r: () => number, n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

export function buildTruths(seed = 20260304): BillTruth[] {
  return SPECS.map((s, idx) => {
    const r = prng(seed + idx * 7919);
    const month = 1 + Math.floor(r() * 11);
    const day = 2 + Math.floor(r() * 25);
    const year = 2026;
    const items = s.itemNames.map((description) => {
      const amount = s.yen ? Math.round(200 + r() * 6000) : round2(3 + r() * 120);
      return { description, amount };
    });
    const subtotal = s.yen ? items.reduce((a, i) => a + i.amount, 0) : round2(items.reduce((a, i) => a + i.amount, 0));
    const tax = s.yen ? Math.floor(subtotal * s.taxRate) : round2(subtotal * s.taxRate);
    const total = s.yen ? subtotal + tax : round2(subtotal + tax);
    const t: BillTruth = {
      id: s.id, lang: s.lang, country: s.country, layout: s.layout, vendor: s.vendor,
      issueDate: iso(year, month, day), items, subtotal, tax, total, currency: s.currency,
    };
    if (s.account) t.accountNumber = s.yen ? `${digits(r, 4)}-${digits(r, 6)}` : `${digits(r, 4)} ${digits(r, 4)} ${digits(r, 2)}`;
    if (s.invoice) t.invoiceNumber = s.yen ? `INV-${digits(r, 8)}` : `INV-${year}-${digits(r, 5)}`;
    if (s.period) {
      const pm = month === 1 ? 12 : month - 1;
      const py = month === 1 ? year - 1 : year;
      const days = new Date(Date.UTC(py, pm, 0)).getUTCDate();
      t.periodStart = iso(py, pm, 1);
      t.periodEnd = iso(py, pm, days);
      const due = new Date(Date.UTC(year, month - 1, day + 21));
      t.dueDate = due.toISOString().slice(0, 10);
    }
    if (s.card) t.cardNumber = `4${digits(r, 3)} ${digits(r, 4)} ${digits(r, 4)} ${digits(r, 4)}`;
    return t;
  });
}

/**
 * A second invoice for the same period as `jp-phone`/`us-phone` under a
 * different account number — the fraud pattern the dispute check looks for,
 * and what the end-to-end test shows next to the camera still.
 */
export function fraudTwin(t: BillTruth): BillTruth {
  const r = prng(t.id.length * 104729);
  const twin: BillTruth = { ...t, id: `${t.id}-twin`, items: t.items.map((i) => ({ ...i })) };
  twin.accountNumber = t.lang === 'jpn' ? `${digits(r, 4)}-${digits(r, 6)}` : `${digits(r, 4)} ${digits(r, 4)} ${digits(r, 2)}`;
  twin.invoiceNumber = t.invoiceNumber ? t.invoiceNumber.replace(/\d{3}$/, (m) => String((Number(m) + 317) % 1000).padStart(3, '0')) : undefined;
  return twin;
}
