/**
 * The labels bills use, English and Japanese, matched on lower-cased text with
 * the spaces between Japanese characters removed. Order matters only within a
 * kind (the first pattern is the strongest).
 */
export type LabelKind = 'totalStrong' | 'total' | 'subtotal' | 'tax' | 'account' | 'invoice' | 'period' | 'issue' | 'due' | 'tender' | 'change' | 'rounding';

export const LABELS: Record<LabelKind, RegExp> = {
  totalStrong: /(total\s+amount\s+due|amount\s+due|balance\s+due|total\s+due|amount\s+payable|total\s+payable|total\s+to\s+pay|please\s+pay|new\s+balance|ご請求金額|今回ご請求額|ご請求額|請求金額|お支払い?金額|お支払額|お支払い合計|税込合計)/,
  // Receipts print labels without spaces as often as with them ("GRANDTOTAL", "TotalSales(Inclusive of GST)").
  total: /(grand\s*total|\bgesamtbetrag\b|\bsumme\b|(?<!sub[\s-]?)(?<!sub)(?<![a-z])total(?![\s:.]*(?:tax\b|vat\b|gst\b|savings|discount|dscount|items?\b|item\(s\)|qty|quantity|weight|excl|\(?\s*excl|\(\s*excl|sales\s*\(?\s*excl|before|saving|points?))|合計|お会計|総額)/,
  subtotal: /(sub[\s-]?total|net\s+amount|amount\s+before\s+tax|total\s+before\s+tax|total\s*(?:sales\s*)?\(?\s*excl(?:uding|\.)?\s*(?:of\s*)?(?:vat|tax|gst)|小計|税抜(?:金額|合計)?|税別)/,
  tax: /(\b(?:sales\s+)?tax\b(?!\s+invoice)|\bvat\b|\bgst\b|\bhst\b|\bpst\b|\bqst\b|\bmwst\b|\bust\b|\btva\b|\biva\b|\bbtw\b|消費税|内税|外税|税額|うち税)/,
  account: /(account\s*(?:number|no\.?|num\.?|#|id)|acct\.?\s*(?:number|no\.?|#)?|customer\s*(?:number|no\.?|id|#)|member\s*(?:number|no\.?)|お客様番号|お客さま番号|契約番号|ご契約番号|会員番号|顧客番号)/,
  invoice: /(invoice\s*(?:number|no\.?|num\.?|#|id)|bill\s*(?:number|no\.?|#)|statement\s*(?:number|no\.?|#)|receipt\s*(?:number|no\.?|#)|請求書番号|請求番号|伝票番号|領収書番号|レシート番号|取引番号)/,
  period: /(billing\s+period|service\s+period|statement\s+period|billing\s+cycle|service\s+dates|usage\s+period|\bperiod\b|ご利用期間|利用期間|請求期間|対象期間|ご使用期間|使用期間|検針期間)/,
  issue: /(invoice\s+date|bill\s+date|billing\s+date|statement\s+date|date\s+of\s+issue|issue\s+date|issued(?:\s+on)?|tax\s+point|receipt\s+date|\bdate\b|発行日|請求日|ご請求日|日付|発行年月日|作成日)/,
  // What the customer handed over and got back: total = tendered − change.
  tender: /(\bcash\b(?!\s*(?:sales?|refund|bill|back|register|out))|tendered|amount\s*paid|paid\s*amount|accepted\s*total|\bpaid\b|お預り?|お預かり)/,
  change: /((?<![a-z])change(?:\s*due)?\b|\bbaki\b|お釣り?|おつり)/,
  rounding: /(round(?:ing)?\s*(?:adj(?:ustment|ustent|\.)?)?|rnd\s*adj|端数)/,
  due: /(due\s+date|payment\s+due(?:\s+date)?|pay\s+by|due\s+by|due\s+on|payable\s+by|お支払期限|支払期限|お支払い期限|お支払期日|支払期日|お振替日|振替日|引落日|引き落とし日|お支払日)/,
};

/** Words a vendor line is not: document titles, greetings, contact and registration lines. */
export const NOT_VENDOR = /(invoice|receipt|statement|tax\s+invoice|bill\b|your\s+(?:monthly\s+)?(?:statement|bill)|thank\s*you|\btq\b|shopping|customer\s+service|cash\s*sale|guest\s*check|cashier|\btable\b|company\s*no|\bco\.?\s*(?:reg|no)\b|reg(?:istration|istratipn)?\.?\s*no|gst\s*(?:id|reg|no)|tel\b|phone|fax|www\.|\.com\b|https?:|@|street|road|avenue|suite|領収書|請求書|レシート|お知らせ|明細|ありがとう|電話|住所|〒)/i;
/** Address lines (streets, lots, districts, postcodes before a town), in the countries the receipts come from. */
export const ADDRESS = /(\bjalan\b|\bjln\b|\blot\b|\btaman\b|\btmn\b|lorong|persiaran|kawasan|\bselangor\b|kuala\s*lumpur|\bjohor\b|\bpenang\b|\bno\.?\s*\d|\b\d{5}\s*[A-Za-z]|\bblock\b|\bfloor\b|\blevel\b)/i;
/** A legal form printed after a business's name. */
export const LEGAL_FORM = /(\bs?dn\.?\s*bhd\b|\bbhd\b|\bberhad\b|\bs\/b\b|\benterprise\b|\btrading\b|\bplt\b|\b(?:inc|llc|ltd|limited|plc|gmbh|pty|corp)\b|株式会社|有限会社|合同会社)/i;
export const COMPANY = /(\b(?:inc|llc|ltd|limited|plc|gmbh|ag|sa|s\.a\.|bv|co|corp|corporation|company|kk|pty|telecom|mobile|energy|power|electric|water|gas|market|stores?|software|internet|restaurant|restoran|cafe|bakery|hardware|stationery|book|mart|supermarket|pharmacy|realt(?:y|ies)|distributor|marketing)\b\.?|株式会社|有限会社|合同会社|\(株\)|（株）|電力|ガス|水道|モバイル|通信|マート|ストア|システム)/i;

export function labelsIn(key: string): Array<{ kind: LabelKind; start: number; end: number }> {
  const out: Array<{ kind: LabelKind; start: number; end: number }> = [];
  for (const kind of Object.keys(LABELS) as LabelKind[]) {
    const m = LABELS[kind].exec(key);
    if (m) out.push({ kind, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
