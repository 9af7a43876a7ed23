/**
 * The manifest: every setting an organisation may manage, in one list. Each
 * entry names its key in code (`update.mode`), its policy name in registry,
 * plist and JSON (`UpdateMode`, VS Code's convention), its zod type, its
 * built-in default and its description in English and Japanese. The resolver,
 * the settings UI, the CLI and every template (ADMX/ADML, .mobileconfig, JSON
 * schema) are generated from this list and nothing else, so a setting cannot
 * exist in one and be missing from another.
 *
 * No Node or DOM imports: the renderer may import the types.
 */
import { z } from 'zod';

/** How a value is stored in the registry / plist / JSON, which decides the template element. */
export type PolicyKind = 'string' | 'url' | 'boolean' | 'integer' | 'enum' | 'list' | 'json';

export type PolicyCategory = 'connection' | 'identity' | 'credits' | 'ocr' | 'updates' | 'privacy' | 'devices' | 'audio' | 'logging' | 'crm' | 'network' | 'diagnostics';

export interface Text { en: string; ja: string }

export interface PolicySetting<T = unknown> {
  key: string;
  /** Name of the value under HKLM\Software\Policies\VisualAssist\Workstation, in the plist and in the Linux JSON file. */
  policyName: string;
  kind: PolicyKind;
  category: PolicyCategory;
  schema: z.ZodType<T>;
  default: T;
  /** For enums: the values, each with a label for the ADMX dropdown. */
  options?: readonly { value: string; label: Text }[];
  /** Integer bounds (the ADMX decimal element needs them). */
  min?: number;
  max?: number;
  /** May the user change it in the app's own settings (when not enforced)? Credit limits, feeds and certificates: never. */
  userSettable: boolean;
  title: Text;
  description: Text;
}

/** Where the policy lives, per platform. */
export const POLICY_VENDOR = 'VisualAssist';
export const POLICY_PRODUCT = 'Workstation';
export const REGISTRY_PATH = `Software\\Policies\\${POLICY_VENDOR}\\${POLICY_PRODUCT}`;
/** Subkey / nested dictionary holding defaults users may change ("recommended", Chrome's convention). */
export const RECOMMENDED = 'Recommended';
export const BUNDLE_ID = 'com.example.visualassist.workstation';
export const LINUX_POLICY_FILE = '/etc/visual-assist/policy.json';
export const POLICY_FILE_ENV = 'VISUAL_ASSIST_POLICY_FILE';

const url = z.url({ protocol: /^https?$/ });
const optionalUrl = z.union([z.literal(''), url]);
const wsOrHttpUrl = z.union([z.literal(''), z.url({ protocol: /^(https?|wss?)$/ })]);
/** Amounts in major units (250 = 250 USD or 250 JPY); integers, because the registry stores a DWORD. */
const amount = z.number().int().min(0).max(10_000_000);
const bool = z.boolean();

/** Keeps the key's literal type, so SettingValues maps each key to its own value type. */
function setting<T, const K extends string = string>(s: PolicySetting<T> & { key: K }): PolicySetting<T> & { key: K } {
  return s;
}

const creditLimit = <const K extends string>(key: K, policyName: string, def: number, title: Text, description: Text) =>
  setting<number, K>({ key, policyName, kind: 'integer', category: 'credits', schema: amount, default: def, min: 0, max: 10_000_000, userSettable: false, title, description });

const audio = <const K extends string>(key: K, policyName: string, title: Text, description: Text) =>
  setting<boolean, K>({ key, policyName, kind: 'boolean', category: 'audio', schema: bool, default: true, userSettable: true, title, description });

export const MANIFEST = [
  setting<string, 'signaling.url'>({
    key: 'signaling.url', policyName: 'SignalingUrl', kind: 'url', category: 'connection', schema: url, default: 'http://127.0.0.1:7800', userSettable: false,
    title: { en: 'Signaling server URL', ja: 'シグナリングサーバーの URL' },
    description: { en: 'Base URL (http or https) of the signaling server the workstation connects to.', ja: 'ワークステーションが接続するシグナリングサーバーのベース URL（http または https）。' },
  }),
  setting<string, 'idp.issuer'>({
    key: 'idp.issuer', policyName: 'IdpIssuer', kind: 'url', category: 'identity', schema: optionalUrl, default: '', userSettable: false,
    title: { en: 'Identity provider issuer', ja: 'ID プロバイダーの発行者' },
    description: { en: 'OpenID Connect issuer URL agents sign in with. Empty: sign-in with the organisation identity provider is off.', ja: 'エージェントがサインインする OpenID Connect の発行者 URL。空の場合、組織の ID プロバイダーによるサインインは無効です。' },
  }),
  setting<string, 'idp.clientId'>({
    key: 'idp.clientId', policyName: 'IdpClientId', kind: 'string', category: 'identity', schema: z.string().max(256), default: '', userSettable: false,
    title: { en: 'Identity provider client ID', ja: 'ID プロバイダーのクライアント ID' },
    description: { en: 'OAuth client ID registered for the workstation at the identity provider.', ja: 'ID プロバイダーに登録したワークステーションの OAuth クライアント ID。' },
  }),
  setting<string, 'idp.rolesClaim'>({
    key: 'idp.rolesClaim', policyName: 'IdpRolesClaim', kind: 'string', category: 'identity', schema: z.string().min(1).max(128), default: 'roles', userSettable: false,
    title: { en: 'Roles claim', ja: 'ロールのクレーム' },
    description: { en: 'Name of the ID token claim that lists the agent\'s roles (agent, supervisor, technician).', ja: 'エージェントのロール（agent、supervisor、technician）を含む ID トークンのクレーム名。' },
  }),
  creditLimit('credits.limitWithoutApproval', 'CreditLimitWithoutApproval', 500,
    { en: 'Credit limit without approval', ja: '承認なしのクレジット上限' },
    { en: 'Largest credit (in major units of the account currency) an agent may give on a case without a supervisor\'s approval.', ja: 'エージェントが監督者の承認なしで 1 件のケースに付与できるクレジットの上限（口座通貨の主単位）。' }),
  creditLimit('credits.auditThreshold', 'CreditAuditThreshold', 250,
    { en: 'Credit audit threshold', ja: 'クレジット監査のしきい値' },
    { en: 'A case\'s running credit total above this amount (major units) is written to the audit log for review.', ja: 'ケースのクレジット累計がこの金額（主単位）を超えると、レビューのため監査ログに記録されます。' }),
  creditLimit('credits.perAgentDay.limitWithoutApproval', 'CreditPerAgentDayLimitWithoutApproval', 2000,
    { en: 'Daily credit limit per agent without approval', ja: 'エージェントごとの 1 日の承認なしクレジット上限' },
    { en: 'Total an agent may credit in one day across all cases without approval (major units).', ja: 'エージェントが 1 日に全ケース合計で承認なしに付与できる金額（主単位）。' }),
  creditLimit('credits.perAgentDay.auditThreshold', 'CreditPerAgentDayAuditThreshold', 1000,
    { en: 'Daily credit audit threshold per agent', ja: 'エージェントごとの 1 日のクレジット監査しきい値' },
    { en: 'An agent\'s daily credit total above this amount (major units) is audited.', ja: 'エージェントの 1 日のクレジット合計がこの金額（主単位）を超えると監査されます。' }),
  setting<Record<string, { limitWithoutApproval?: number; auditThreshold?: number }>, 'credits.perCurrency'>({
    key: 'credits.perCurrency', policyName: 'CreditPerCurrency', kind: 'json', category: 'credits',
    schema: z.record(z.string().regex(/^[A-Z]{3}$/), z.object({ limitWithoutApproval: amount.optional(), auditThreshold: amount.optional() }).strict()),
    default: {}, userSettable: false,
    title: { en: 'Credit limits per currency', ja: '通貨ごとのクレジット上限' },
    description: { en: 'JSON object overriding the limit and audit threshold per ISO 4217 currency, e.g. {"JPY": {"limitWithoutApproval": 50000, "auditThreshold": 25000}}.', ja: 'ISO 4217 通貨ごとに上限と監査しきい値を上書きする JSON オブジェクト。例: {"JPY": {"limitWithoutApproval": 50000, "auditThreshold": 25000}}。' },
  }),
  setting<string[], 'ocr.languages'>({
    key: 'ocr.languages', policyName: 'OcrLanguages', kind: 'list', category: 'ocr', schema: z.array(z.enum(['eng', 'jpn'])).min(1).max(2), default: ['eng', 'jpn'], userSettable: true,
    title: { en: 'OCR languages', ja: 'OCR の言語' },
    description: { en: 'Languages bills are read in: eng, jpn (one per line).', ja: '請求書を読み取る言語: eng、jpn（1 行に 1 つ）。' },
  }),
  setting<boolean, 'ocr.keepOriginals'>({
    key: 'ocr.keepOriginals', policyName: 'OcrKeepOriginals', kind: 'boolean', category: 'ocr', schema: bool, default: false, userSettable: false,
    title: { en: 'Keep original stills', ja: '元の静止画を保持' },
    description: { en: 'Keep, sealed (encrypted) outside the case evidence, the original of every still whose card numbers were painted over, for a supervisor\'s audited "show original". Off (default): only the redacted still is kept.', ja: 'カード番号を塗りつぶした静止画の元画像を、ケースの証拠とは別に暗号化して保持し、スーパーバイザーが監査付きで「元画像を表示」できるようにします。オフ（既定）: 塗りつぶした静止画のみ保持します。' },
  }),
  setting<'default' | 'manual' | 'none', 'update.mode'>({
    key: 'update.mode', policyName: 'UpdateMode', kind: 'enum', category: 'updates', schema: z.enum(['default', 'manual', 'none']), default: 'default', userSettable: true,
    options: [
      { value: 'default', label: { en: 'Check and download automatically', ja: '自動で確認してダウンロード' } },
      { value: 'manual', label: { en: 'Check only when the user asks', ja: 'ユーザーが要求したときのみ確認' } },
      { value: 'none', label: { en: 'Never check (no update request at all)', ja: '確認しない（更新のリクエストを一切行わない）' } },
    ],
    title: { en: 'Update mode', ja: '更新モード' },
    description: { en: 'default: check for updates and download them in the background; manual: check only when the user asks; none: never contact an update server.', ja: 'default: 更新を確認してバックグラウンドでダウンロード、manual: ユーザーが要求したときのみ確認、none: 更新サーバーに一切接続しません。' },
  }),
  setting<string, 'update.feedUrl'>({
    key: 'update.feedUrl', policyName: 'UpdateFeedUrl', kind: 'url', category: 'updates', schema: optionalUrl, default: '', userSettable: false,
    title: { en: 'Update feed URL', ja: '更新フィードの URL' },
    description: { en: 'Corporate update server (a folder with latest.yml and the installers). Empty: the feed built into the app.', ja: '社内の更新サーバー（latest.yml とインストーラーを置いたフォルダー）。空の場合、アプリに組み込まれたフィード。' },
  }),
  setting<boolean, 'telemetry.enabled'>({
    key: 'telemetry.enabled', policyName: 'TelemetryEnabled', kind: 'boolean', category: 'privacy', schema: bool, default: false, userSettable: true,
    title: { en: 'Usage telemetry', ja: '利用状況の送信' },
    description: { en: 'Send anonymous usage figures (call counts and quality, never media or customer data) to the organisation. Off by default. This version sends no usage data whatever the value; set it off to keep any later version from sending.', ja: '匿名の利用状況（通話数と品質。メディアや顧客データは含みません）を組織に送信します。既定はオフ。このバージョンは値にかかわらず利用状況を一切送信しません。今後のバージョンでも送信させない場合はオフに設定してください。' },
  }),
  setting<string[], 'devices.allowedCameras'>({
    key: 'devices.allowedCameras', policyName: 'AllowedCameras', kind: 'list', category: 'devices', schema: z.array(z.string().min(1).max(256)).max(64), default: [], userSettable: false,
    title: { en: 'Allowed cameras', ja: '許可するカメラ' },
    description: { en: 'Camera labels (or prefixes ending in *) agents may use, one per line. Empty: every camera.', ja: 'エージェントが使用できるカメラの名前（末尾 * で前方一致）。1 行に 1 つ。空の場合、すべてのカメラ。' },
  }),
  setting<string[], 'devices.allowedMicrophones'>({
    key: 'devices.allowedMicrophones', policyName: 'AllowedMicrophones', kind: 'list', category: 'devices', schema: z.array(z.string().min(1).max(256)).max(64), default: [], userSettable: false,
    title: { en: 'Allowed microphones', ja: '許可するマイク' },
    description: { en: 'Microphone labels (or prefixes ending in *) agents may use, one per line. Empty: every microphone.', ja: 'エージェントが使用できるマイクの名前（末尾 * で前方一致）。1 行に 1 つ。空の場合、すべてのマイク。' },
  }),
  audio('audio.echoCancellation', 'AudioEchoCancellation', { en: 'Echo cancellation', ja: 'エコーキャンセル' },
    { en: 'Cancel the echo of the customer\'s voice picked up by the agent\'s microphone.', ja: 'エージェントのマイクが拾った顧客の音声のエコーを除去します。' }),
  audio('audio.noiseSuppression', 'AudioNoiseSuppression', { en: 'Noise suppression', ja: 'ノイズ抑制' },
    { en: 'Suppress background noise of the contact centre floor.', ja: 'コンタクトセンターの背景雑音を抑えます。' }),
  audio('audio.autoGainControl', 'AudioAutoGainControl', { en: 'Automatic gain control', ja: '自動ゲイン調整' },
    { en: 'Keep the agent\'s voice at a steady level.', ja: 'エージェントの声の音量を一定に保ちます。' }),
  setting<'debug' | 'info' | 'warn' | 'error', 'log.level'>({
    key: 'log.level', policyName: 'LogLevel', kind: 'enum', category: 'logging', schema: z.enum(['debug', 'info', 'warn', 'error']), default: 'info', userSettable: true,
    options: [
      { value: 'debug', label: { en: 'Debug', ja: 'デバッグ' } },
      { value: 'info', label: { en: 'Information', ja: '情報' } },
      { value: 'warn', label: { en: 'Warnings', ja: '警告' } },
      { value: 'error', label: { en: 'Errors only', ja: 'エラーのみ' } },
    ],
    title: { en: 'Logging level', ja: 'ログのレベル' },
    description: { en: 'Least severe level written to the workstation\'s log.', ja: 'ワークステーションのログに書き込む最低の重要度。' },
  }),
  setting<string, 'crm.url'>({
    key: 'crm.url', policyName: 'CrmUrl', kind: 'url', category: 'crm', schema: optionalUrl, default: '', userSettable: false,
    title: { en: 'CRM endpoint', ja: 'CRM のエンドポイント' },
    description: { en: 'URL case records are delivered to. Empty: cases stay in the local case cache only.', ja: 'ケース記録の送信先 URL。空の場合、ケースはローカルのケースキャッシュにのみ保存されます。' },
  }),
  setting<'system' | 'direct' | 'fixed' | 'pac', 'network.proxyMode'>({
    key: 'network.proxyMode', policyName: 'ProxyMode', kind: 'enum', category: 'network', schema: z.enum(['system', 'direct', 'fixed', 'pac']), default: 'system', userSettable: false,
    options: [
      { value: 'system', label: { en: 'Use the system proxy settings (including PAC)', ja: 'システムのプロキシ設定（PAC を含む）を使用' } },
      { value: 'direct', label: { en: 'Never use a proxy', ja: 'プロキシを使用しない' } },
      { value: 'fixed', label: { en: 'Use the proxy server below', ja: '下記のプロキシサーバーを使用' } },
      { value: 'pac', label: { en: 'Use the PAC script below', ja: '下記の PAC スクリプトを使用' } },
    ],
    title: { en: 'Proxy mode', ja: 'プロキシのモード' },
    description: { en: 'How the workstation reaches the signaling server, the CRM and the update feed.', ja: 'ワークステーションがシグナリングサーバー、CRM、更新フィードに接続する方法。' },
  }),
  setting<string, 'network.proxyServer'>({
    key: 'network.proxyServer', policyName: 'ProxyServer', kind: 'url', category: 'network', schema: optionalUrl, default: '', userSettable: false,
    title: { en: 'Proxy server', ja: 'プロキシサーバー' },
    description: { en: 'Proxy URL for ProxyMode fixed, e.g. http://proxy.example.com:8080.', ja: 'ProxyMode が fixed のときのプロキシ URL。例: http://proxy.example.com:8080。' },
  }),
  setting<string, 'network.proxyPacUrl'>({
    key: 'network.proxyPacUrl', policyName: 'ProxyPacUrl', kind: 'url', category: 'network', schema: optionalUrl, default: '', userSettable: false,
    title: { en: 'Proxy PAC URL', ja: 'プロキシ PAC の URL' },
    description: { en: 'PAC script URL for ProxyMode pac.', ja: 'ProxyMode が pac のときの PAC スクリプトの URL。' },
  }),
  setting<string, 'network.proxyBypass'>({
    key: 'network.proxyBypass', policyName: 'ProxyBypassList', kind: 'string', category: 'network', schema: z.string().max(4096), default: '', userSettable: false,
    title: { en: 'Proxy bypass list', ja: 'プロキシを使用しないホスト' },
    description: { en: 'Comma-separated hosts reached without the proxy (ProxyMode fixed), e.g. localhost,*.corp.example.', ja: 'プロキシを経由せずに接続するホスト（カンマ区切り、ProxyMode が fixed のとき）。例: localhost,*.corp.example。' },
  }),
  setting<string[], 'network.extraCaCertificates'>({
    key: 'network.extraCaCertificates', policyName: 'ExtraCaCertificates', kind: 'list', category: 'network', schema: z.array(z.string().min(1).max(1024)).max(32), default: [], userSettable: false,
    title: { en: 'Extra root certificates', ja: '追加のルート証明書' },
    description: { en: 'Paths of PEM files with the organisation\'s root CA certificates (e.g. for TLS inspection), trusted for the signaling and CRM connections. One per line.', ja: '組織のルート CA 証明書（TLS インスペクション用など）を含む PEM ファイルのパス。シグナリングと CRM の接続で信頼されます。1 行に 1 つ。' },
  }),
  setting<boolean, 'diagnostics.enabled'>({
    key: 'diagnostics.enabled', policyName: 'DiagnosticsEnabled', kind: 'boolean', category: 'diagnostics', schema: bool, default: true, userSettable: false,
    title: { en: 'Collect diagnostics', ja: '診断情報の収集' },
    description: { en: 'Let agents write a diagnostics archive (versions, effective policy, logs, devices, call figures; no secrets or customer data) to send to IT.', ja: 'エージェントが IT に送る診断アーカイブ（バージョン、有効なポリシー、ログ、デバイス、通話の数値。秘密情報や顧客データは含みません）を作成できるようにします。' },
  }),
] as const satisfies readonly PolicySetting<any>[];

export type Manifest = typeof MANIFEST;
export type SettingKey = Manifest[number]['key'];

/** The value type of each key, from the manifest's zod schemas. */
export type SettingValues = {
  [S in Manifest[number] as S['key']]: S extends PolicySetting<infer T> ? T : never;
};

export const SETTINGS_BY_KEY: ReadonlyMap<string, PolicySetting> = new Map(MANIFEST.map((s) => [s.key, s as PolicySetting]));
export const SETTINGS_BY_POLICY_NAME: ReadonlyMap<string, PolicySetting> = new Map(MANIFEST.map((s) => [s.policyName, s as PolicySetting]));

export function isSettingKey(k: string): k is SettingKey {
  return SETTINGS_BY_KEY.has(k);
}
